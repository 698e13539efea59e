"""The manager dashboard: a team's reps against their targets for a period.

Everything here is built on the attainment selectors (targets/attainment.py) and reads day
tallies only, so every read is a fixed number of queries whatever the team size or the
length of history. "Today", "this week" and "this month" are each rep's own local
periods: a rep in Sydney is already in tomorrow while a rep in Honolulu is not.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role, Team, User
from accounts.selectors import directory_entry
from activities.models import Metric
from core.sql import table, where_in
from targets.attainment import MetricAttainment, attainment_for_ranges
from targets.dashboard.forecasts import ForecastCell, forecast_cells, forecast_total
from targets.dashboard.periods import period_range
from targets.dashboard.rows import (
    SORT_NAME,
    Column,
    DashboardRow,
    TotalCell,
    sort_rows,
    total_cell,
)
from targets.dashboard.sparklines import (
    SPARKLINE_METRIC,
    sparkline_weeks,
    sparklines_for,
)
from targets.forecast import month_forecasts
from targets.models import Flag, FlagKind, FlagStatus, Target
from targets.quota import (
    DEFAULT_QUOTA_METRIC,
    is_below_quota,
    quota_attainment,
    quota_metric_slug,
)
from targets.review.dips import quiet_month_ranges, quiet_rep_ids, without_quiet_dips


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
    # The running month's forecast of the reps shown, added up (`forecasts`)
    forecast_total: ForecastCell | None = None


def open_flags_of(reps: list[User], metrics: list[Metric]) -> list[Flag]:
    """The open flags of these reps, worst kind first, in one query (the reps and the
    metrics the caller holds are attached, not joined)."""
    order = {
        FlagKind.BELOW_QUOTA: 0,
        FlagKind.AT_RISK: 1,
        FlagKind.RAMP_BEHIND: 2,
        FlagKind.ACTIVITY_DIP: 3,
    }
    reps_by_id = {rep.pk: rep for rep in reps}
    metrics_by_id = {metric.pk: metric for metric in metrics}
    flags = list(
        Flag.objects.filter(rep_id__in=list(reps_by_id), status=FlagStatus.OPEN)
    )
    for flag in flags:
        flag.rep = reps_by_id[flag.rep_id]
        flag.metric = metrics_by_id[flag.metric_id]
    return sorted(flags, key=lambda flag: (order.get(flag.kind, 9), flag.percent))


def dashboard_reps(*, teams: list[Team], now: dt.datetime) -> list[User]:
    """The active reps of these teams, with their team (one of `teams`), in one query.

    Each rep is annotated with `has_unagreed_targets`: a target in force now or later
    that they have not agreed to (a superseded one waits for nobody). "Now" allows a
    day for time zones: no zone is more than a day behind UTC's date. Written as SQL:
    every dashboard request makes this read (core/sql.py).
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
            " AND target.superseded_at IS NULL"
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


def behind_on_quota(
    rows: list[DashboardRow],
) -> list[tuple[DashboardRow, MetricAttainment]]:
    """The rows whose rep is below their own quota in the period, furthest behind first.

    Each rep is judged on their team's quota metric (`targets.quota`), with that cell.
    """
    behind = [
        (row, quota)
        for row in rows
        if is_below_quota(quota := quota_attainment(row.attainment))
    ]
    return sorted(behind, key=lambda pair: pair[1].percent or 0)


def quota_label(*, teams: list[Team], metrics: list[Metric]) -> str:
    """The quota metric's label for these teams (the default when they differ)."""
    slugs = {quota_metric_slug(team) for team in teams}
    slug = slugs.pop() if len(slugs) == 1 else DEFAULT_QUOTA_METRIC
    return next((metric.label for metric in metrics if metric.slug == slug), "")


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
    are used by the custom period. Eight queries: reps (with whether they have targets
    to agree to), metrics, targets, tallies, the sparkline tallies, open flags, and the
    month forecast's targets and tallies (whatever the period shown: it is each rep's
    running month).
    """
    now = now or timezone.now()
    shown_teams = [team] if team is not None else teams
    reps = dashboard_reps(teams=shown_teams, now=now)
    metrics = list(Metric.objects.order_by("sort_order", "slug"))
    by_rep = attainment_for_ranges(
        reps=reps,
        ranges=_rep_ranges(reps=reps, period=period, now=now, start=start, end=end)
        | quiet_month_ranges(reps, now),  # the same read: who earned quiet
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
    flags = without_quiet_dips(
        open_flags_of(reps, metrics), quiet_rep_ids(reps, by_rep, now)
    )
    forecasts = forecast_cells(
        month_forecasts(reps, now=now, metrics=metrics), metrics=metrics
    )
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
                forecast=forecasts.get(rep.pk),
            )
        )
    sort, direction = sort_rows(
        rows,
        columns=columns,
        sort=sort,
        direction="desc" if direction == "desc" else "asc",
    )
    totals = [
        total_cell([cell for row in rows if (cell := row.cells[i]) is not None], c.unit)
        for i, c in enumerate(columns)
    ]
    needs_attention = behind_on_quota(rows)
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
        quota_label=quota_label(teams=shown_teams, metrics=metrics),
        sparkline_weeks=weeks,
        forecast_total=forecast_total([row.forecast for row in rows if row.forecast]),
    )


def teams_in_order(teams: QuerySet[Team]) -> list[Team]:
    """The viewer's teams as a list (one query), in name order; the dashboard shows no
    managers, so none are read."""
    return list(teams.select_related(None).order_by("name"))
