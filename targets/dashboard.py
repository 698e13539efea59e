"""Reads for the manager dashboard, the leaderboard and a rep's results page.

Everything here is built on the attainment selectors (targets/selectors.py) and reads day
tallies only, so every read is a fixed number of queries whatever the team size or the
length of history. "Today", "this week" and "this month" are each rep's own local
periods: a rep in Sydney is already in tomorrow while a rep in Honolulu is not.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Team, User
from accounts.selectors import DirectoryEntry, directory_entry
from activities.models import Metric, MetricUnit
from activities.periods import MONTH, WEEK
from activities.tallies import day_values
from salesteam.sql import table, where_in
from targets.models import Flag, FlagKind, FlagStatus, Target
from targets.selectors import (
    BEHIND,
    MET,
    NO_TARGET,
    ON_PACE,
    MetricAttainment,
    RepAttainment,
    attainment_for_ranges,
    period_bounds,
)

TODAY, THIS_WEEK, THIS_MONTH, LAST_MONTH, CUSTOM = (
    "today",
    "week",
    "month",
    "last_month",
    "custom",
)
DASHBOARD_PERIODS = [
    (TODAY, _("Today")),
    (THIS_WEEK, _("This week")),
    (THIS_MONTH, _("This month")),
    (LAST_MONTH, _("Last month")),
    (CUSTOM, _("Custom range")),
]
# A custom range is capped so one request reads at most about a year of tallies.
MAX_CUSTOM_DAYS = 400
SORT_NAME = "name"
SORT_LOCAL_TIME = "local_time"
# The sparkline follows this metric (the one a manager looks at first) over 8 ISO weeks.
SPARKLINE_METRIC = "calls"
SPARKLINE_WEEKS = 8


# --- The period a dashboard shows --------------------------------------------------


def period_range(
    *,
    period: str,
    local_today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """First and last local date of a dashboard period, seen from one local today."""
    if period == TODAY:
        return local_today, local_today
    if period == THIS_WEEK:
        return period_bounds(period=WEEK, on=local_today)
    if period == THIS_MONTH:
        return period_bounds(period=MONTH, on=local_today)
    if period == LAST_MONTH:
        return period_bounds(
            period=MONTH, on=local_today.replace(day=1) - dt.timedelta(days=1)
        )
    if period == CUSTOM and start is not None and end is not None:
        return start, end
    raise ValueError(f"Unknown dashboard period {period!r}")


# --- The team dashboard ------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    slug: str
    label: str
    unit: str


@dataclass
class DashboardRow:
    """One rep on the dashboard.

    `open_flags` and `open_plan` come from the results review's open flags (a
    below-quota flag stays open exactly as long as its improvement plan); each shows as
    a badge beside the rep's name.
    """

    rep: User
    attainment: RepAttainment
    cells: list[MetricAttainment | None]
    local: DirectoryEntry
    sparkline: list[int]
    pending_acknowledgement: bool
    open_flags: int = 0
    open_plan: bool = False

    @property
    def team_name(self) -> str:
        return self.rep.team.name if self.rep.team_id else ""

    @property
    def sparkline_points(self) -> str:
        """SVG polyline points in a 70 × 20 box, scaled from the lowest to the highest week.

        A flat line (every week the same) runs through the middle.
        """
        if not self.sparkline:
            return ""
        low, high = min(self.sparkline), max(self.sparkline)
        step = 70 / max(len(self.sparkline) - 1, 1)
        return " ".join(
            f"{index * step:.1f},"
            f"{10 if high == low else 19 - 18 * (value - low) / (high - low):.1f}"
            for index, value in enumerate(self.sparkline)
        )


@dataclass(frozen=True)
class TotalCell:
    target: Decimal | None
    actual: Decimal
    percent: int | None
    status: str
    unit: str


@dataclass
class Dashboard:
    teams: list[Team]
    team: Team | None  # None: every team the viewer may see
    period: str
    start: dt.date  # as seen from the viewer's own calendar (a label, not a filter)
    end: dt.date
    columns: list[Column]
    rows: list[DashboardRow]
    totals: list[TotalCell]
    needs_attention: list[tuple[DashboardRow, MetricAttainment]]  # behind on quota
    sort: str
    direction: str
    sparkline_label: str
    quota_label: str
    sparkline_weeks: list[dt.date] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)  # open flags of the reps shown


def open_flags_of(reps: list[User], metrics: list[Metric]) -> list[Flag]:
    """The open flags of these reps, worst kind first, in one query (the reps and the
    metrics the caller holds are attached, not joined)."""
    order = {FlagKind.BELOW_QUOTA: 0, FlagKind.AT_RISK: 1, FlagKind.ACTIVITY_DIP: 2}
    reps_by_id = {rep.pk: rep for rep in reps}
    metrics_by_id = {metric.pk: metric for metric in metrics}
    flags = list(
        Flag.objects.filter(rep_id__in=list(reps_by_id), status=FlagStatus.OPEN)
    )
    for flag in flags:
        flag.rep = reps_by_id[flag.rep_id]
        flag.metric = metrics_by_id[flag.metric_id]
    return sorted(flags, key=lambda flag: (order.get(flag.kind, 9), flag.percent))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (names are typed in by people)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def dashboard_reps(*, teams: list[Team], now: dt.datetime) -> list[User]:
    """The active reps of these teams, with their team (one of `teams`), in one query.

    Each rep is annotated with `has_unagreed_targets`: a target in force now or later
    that they have not agreed to. "Now" allows a day for time zones: no zone is more
    than a day behind UTC's date. Written as SQL: every dashboard request makes this
    read (salesteam/sql.py).
    """
    if not teams:
        return []
    teams_by_id = {team.pk: team for team in teams}
    earliest = now.astimezone(dt.UTC).date() - dt.timedelta(days=1)
    teams_in, team_params = where_in("rep.team_id", list(teams_by_id))
    reps = list(
        User.objects.raw(
            "SELECT rep.*, EXISTS ("
            f" SELECT 1 FROM {table(Target)} target"
            " WHERE target.rep_id = rep.id AND target.agreed_at IS NULL"
            " AND (target.effective_until IS NULL OR target.effective_until >= %s)"
            f") AS has_unagreed_targets FROM {table(User)} rep"
            f" WHERE {teams_in} AND rep.role = %s AND rep.is_active = %s"
            " ORDER BY rep.first_name, rep.last_name, rep.email",
            [earliest, *team_params, Role.REP, True],
        )
    )
    for rep in reps:
        rep.has_unagreed_targets = bool(rep.has_unagreed_targets)  # SQLite: 0 or 1
        rep.team = teams_by_id[rep.team_id]  # the caller's team objects: no join
    return reps


def _rep_ranges(
    *,
    reps: list[User],
    period: str,
    now: dt.datetime,
    start: dt.date | None,
    end: dt.date | None,
) -> dict[tuple[int, str], tuple[dt.date, dt.date]]:
    return {
        (rep.pk, period): period_range(
            period=period, local_today=rep.local_date(now), start=start, end=end
        )
        for rep in reps
    }


def _total(cells: list[MetricAttainment], unit: str) -> TotalCell:
    actual = sum((cell.actual for cell in cells), Decimal(0))
    targeted = [cell for cell in cells if cell.target is not None]
    target = sum((cell.target for cell in targeted), Decimal(0)) if targeted else None
    if not target:
        return TotalCell(None, actual, None, NO_TARGET, unit)
    percent = int((actual * 100 / target).to_integral_value(rounding=ROUND_FLOOR))
    if actual >= target:
        status = MET
    elif all(cell.status in (MET, ON_PACE) for cell in targeted):
        status = ON_PACE
    else:
        status = BEHIND
    return TotalCell(target, actual, percent, status, unit)


def _sort_rows(
    rows: list[DashboardRow], columns: list[Column], sort: str, direction: str
) -> tuple[str, str]:
    """Sort in place by name, local time or a metric (percent, then actual)."""
    reverse = direction == "desc"
    slugs = [column.slug for column in columns]
    if sort in slugs:
        index = slugs.index(sort)

        def metric_key(row: DashboardRow):
            cell = row.cells[index]
            if cell is None:
                return (Decimal(-1), Decimal(-1))
            percent = Decimal(-1) if cell.percent is None else Decimal(cell.percent)
            return (percent, cell.actual)

        # Names first (stable), so equal numbers read alphabetically.
        rows.sort(key=lambda row: str(row.rep).lower())
        rows.sort(key=metric_key, reverse=reverse)
        return sort, direction
    if sort == SORT_LOCAL_TIME:
        rows.sort(
            key=lambda row: (row.local.local_now.utcoffset(), str(row.rep).lower()),
            reverse=reverse,
        )
        return sort, direction
    rows.sort(key=lambda row: str(row.rep).lower(), reverse=reverse)
    return SORT_NAME, direction


def sparkline_weeks(local_today: dt.date) -> list[dt.date]:
    """The Mondays of the last eight ISO weeks, the current one last."""
    monday = local_today - dt.timedelta(days=local_today.weekday())
    return [
        monday - dt.timedelta(weeks=back) for back in range(SPARKLINE_WEEKS - 1, -1, -1)
    ]


def sparklines_for(
    *, reps: list[User], metric: Metric | None, weeks: list[dt.date]
) -> dict[int, list[int]]:
    """Weekly totals of one metric per rep over the given weeks, in one query.

    The day tallies of eight weeks are a few rows a rep; adding them up here is cheaper
    than asking the database to group them by week.
    """
    if metric is None or not reps or not weeks:
        return {rep.pk: [] for rep in reps}
    week_of = {
        weeks[0] + dt.timedelta(days=offset): weeks[0] + dt.timedelta(weeks=offset // 7)
        for offset in range(7 * len(weeks))
    }
    totals: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    for rep_id, _metric_id, local_date, value in day_values(
        rep_ids=[rep.pk for rep in reps],
        metrics=[metric],
        first=weeks[0],
        last=weeks[-1] + dt.timedelta(days=6),
    ):
        totals[rep_id, week_of[local_date]] += value
    return {
        rep.pk: [int(totals.get((rep.pk, week), 0)) for week in weeks] for rep in reps
    }


def quota_metric(metrics: list[Metric]) -> Metric | None:
    """The default sales quota: the first active money metric (revenue)."""
    return next(
        (m for m in metrics if m.is_active and m.unit == MetricUnit.MONEY), None
    )


def _team_quota_slug(rep: User, default: Metric | None) -> str | None:
    """The metric whose target is the rep's team's quota (the team's own setting)."""
    team_quota = getattr(rep.team, "quota_metric", "") if rep.team_id else ""
    return team_quota or (default.slug if default else None)


def dashboard_for(
    *,
    viewer: User,
    teams: list[Team],
    team: Team | None,
    period: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    sort: str = SORT_NAME,
    direction: str = "asc",
    now: dt.datetime | None = None,
) -> Dashboard:
    """The dashboard of one team (or of every team in `teams`) for a period.

    `teams` are the teams the viewer may see (the caller scoped them); `start` and `end`
    are used by the custom period. Five queries: reps (with whether they have targets
    to agree to), metrics, targets, tallies and the sparkline tallies.
    """
    now = now or timezone.now()
    shown_teams = [team] if team is not None else teams
    reps = dashboard_reps(teams=shown_teams, now=now)
    metrics = list(Metric.objects.order_by("sort_order", "slug"))
    by_rep = attainment_for_ranges(
        reps=reps,
        ranges=_rep_ranges(reps=reps, period=period, now=now, start=start, end=end),
        now=now,
        metrics=metrics,
    )
    shown_slugs = {
        item.metric for attainment in by_rep.values() for item in attainment.metrics
    }
    columns = [
        Column(slug=metric.slug, label=metric.label, unit=metric.unit)
        for metric in metrics
        if metric.slug in shown_slugs or (metric.is_active and not reps)
    ]
    spark_metric = next((m for m in metrics if m.slug == SPARKLINE_METRIC), None)
    weeks = sparkline_weeks(viewer.local_date(now))
    sparklines = sparklines_for(reps=reps, metric=spark_metric, weeks=weeks)
    flags = open_flags_of(reps, metrics)
    rows = []
    for rep in reps:
        attainment = by_rep[rep.pk, period]
        cells = [attainment.for_metric(column.slug) for column in columns]
        rows.append(
            DashboardRow(
                rep=rep,
                attainment=attainment,
                cells=cells,
                local=directory_entry(rep, now),
                sparkline=sparklines[rep.pk],
                pending_acknowledgement=rep.has_unagreed_targets,
                open_flags=sum(1 for flag in flags if flag.rep_id == rep.pk),
                # A below-quota flag stays open exactly as long as its improvement plan.
                open_plan=any(
                    flag.rep_id == rep.pk and flag.kind == FlagKind.BELOW_QUOTA
                    for flag in flags
                ),
            )
        )
    sort, direction = _sort_rows(
        rows, columns, sort, "desc" if direction == "desc" else "asc"
    )
    totals = [
        _total([cell for row in rows if (cell := row.cells[i]) is not None], c.unit)
        for i, c in enumerate(columns)
    ]
    quota = quota_metric(metrics)
    needs_attention: list[tuple[DashboardRow, MetricAttainment]] = []
    for row in rows:
        slug = _team_quota_slug(row.rep, quota)
        cell = row.attainment.for_metric(slug) if slug else None
        if cell is not None and cell.status == BEHIND:
            needs_attention.append((row, cell))
    needs_attention.sort(key=lambda pair: pair[1].percent or 0)
    viewer_start, viewer_end = period_range(
        period=period, local_today=viewer.local_date(now), start=start, end=end
    )
    return Dashboard(
        teams=teams,
        team=team,
        period=period,
        start=viewer_start,
        end=viewer_end,
        columns=columns,
        rows=rows,
        totals=totals,
        needs_attention=needs_attention,
        flags=flags,
        sort=sort,
        direction=direction,
        sparkline_label=spark_metric.label if spark_metric else "",
        quota_label=_quota_label(shown_teams, metrics, quota),
        sparkline_weeks=weeks,
    )


def _quota_label(teams: list[Team], metrics: list[Metric], default: Metric | None):
    slugs = {getattr(team, "quota_metric", "") or "" for team in teams}
    slug = slugs.pop() if len(slugs) == 1 else ""
    chosen = next((m for m in metrics if m.slug == slug), None) or default
    return chosen.label if chosen else ""


def dashboard_csv_rows(dashboard: Dashboard) -> list[list[str]]:
    """The dashboard as CSV rows: exactly the cells, in the order shown, with totals."""

    def number(value: Decimal | None, unit: str) -> str:
        if value is None:
            return ""
        return f"{value:.2f}" if unit == MetricUnit.MONEY else f"{value:.0f}"

    header = [str(_("Rep")), str(_("Team")), str(_("Local time"))]
    for column in dashboard.columns:
        header += [
            f"{column.label} · {_('actual')}",
            f"{column.label} · {_('target')}",
            f"{column.label} · %",
            f"{column.label} · {_('status')}",
        ]
    lines = [header]

    def cells_of(cells) -> list[str]:
        out = []
        for column, cell in zip(dashboard.columns, cells, strict=True):
            if cell is None:
                out += ["", "", "", ""]
                continue
            out += [
                number(cell.actual, column.unit),
                number(cell.target, column.unit),
                "" if cell.percent is None else str(cell.percent),
                cell.status,
            ]
        return out

    for row in dashboard.rows:
        lines.append(
            [
                spreadsheet_safe(str(row.rep)),
                spreadsheet_safe(row.team_name),
                row.local.local_now.strftime("%Y-%m-%d %H:%M %Z"),
                *cells_of(row.cells),
            ]
        )
    lines.append([str(_("Team total")), "", "", *cells_of(dashboard.totals)])
    return lines


# --- Leaderboard -------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    rep: User
    cell: MetricAttainment | None


def leaderboard_from(dashboard: Dashboard, *, metric: str) -> list[LeaderboardEntry]:
    """Reps ranked by one metric (percent of target, then actual); ties share a rank."""
    slugs = [column.slug for column in dashboard.columns]
    if metric not in slugs:
        return []
    index = slugs.index(metric)
    rows = list(dashboard.rows)
    _sort_rows(rows, dashboard.columns, metric, "desc")
    entries: list[LeaderboardEntry] = []
    previous_key = None
    for position, row in enumerate(rows, start=1):
        cell = row.cells[index]
        key = None if cell is None else (cell.percent, cell.actual)
        rank = entries[-1].rank if entries and key == previous_key else position
        entries.append(LeaderboardEntry(rank=rank, rep=row.rep, cell=cell))
        previous_key = key
    return entries


def teams_in_order(teams: QuerySet[Team]) -> list[Team]:
    """The viewer's teams as a list (one query), in name order; the dashboard shows no
    managers, so none are read."""
    return list(teams.select_related(None).order_by("name"))
