"""Reads for the manager dashboard and the leaderboard, one module per behaviour.

- `periods`: the periods a dashboard shows (today, this week, a custom range …);
- `board`: the dashboard of a team, and its "needs attention" panel;
- `rows`: rows, columns, totals and sorting;
- `sparklines`: eight weeks of one metric per rep;
- `export`: the dashboard as CSV;
- `leaderboard`: reps ranked by one metric.

The public names are importable from `targets.dashboard`.
"""

from targets.dashboard.board import (
    Dashboard,
    behind_on_quota,
    dashboard_for,
    dashboard_reps,
    open_flags_of,
    quota_label,
    teams_in_order,
)
from targets.dashboard.export import dashboard_csv_rows, spreadsheet_safe
from targets.dashboard.leaderboard import LeaderboardEntry, leaderboard_from
from targets.dashboard.periods import (
    CUSTOM,
    DASHBOARD_PERIODS,
    LAST_MONTH,
    MAX_CUSTOM_DAYS,
    THIS_MONTH,
    THIS_WEEK,
    TODAY,
    period_range,
)
from targets.dashboard.rows import (
    SORT_LOCAL_TIME,
    SORT_NAME,
    Column,
    DashboardRow,
    TotalCell,
    sort_rows,
)
from targets.dashboard.sparklines import (
    SPARKLINE_METRIC,
    SPARKLINE_WEEKS,
    sparkline_points,
    sparkline_weeks,
    sparklines_for,
)

__all__ = [
    "CUSTOM",
    "DASHBOARD_PERIODS",
    "LAST_MONTH",
    "MAX_CUSTOM_DAYS",
    "SORT_LOCAL_TIME",
    "SORT_NAME",
    "SPARKLINE_METRIC",
    "SPARKLINE_WEEKS",
    "THIS_MONTH",
    "THIS_WEEK",
    "TODAY",
    "Column",
    "Dashboard",
    "DashboardRow",
    "LeaderboardEntry",
    "TotalCell",
    "behind_on_quota",
    "dashboard_csv_rows",
    "dashboard_for",
    "dashboard_reps",
    "leaderboard_from",
    "open_flags_of",
    "period_range",
    "quota_label",
    "sort_rows",
    "spreadsheet_safe",
    "sparkline_points",
    "sparkline_weeks",
    "sparklines_for",
    "teams_in_order",
]
