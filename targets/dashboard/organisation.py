"""The admin's organisation view: one row per team, a page of teams at a time.

A row is a team's quota against its target for the period (the team's reps added up,
`rows.total_cell`), how many of its reps are behind on quota (`targets.quota`, the one
quota rule, on each rep's own attainment) and its open flags. A team's row links to its
dashboard (the drill-down); the rep search lists reps by name or email, a page at a time.

The cost follows the page, not the organisation: a fixed number of queries whatever the
number of teams or reps, and attainment is computed for the reps of the teams shown
(`ORGANISATION_PAGE_SIZE` of them), on their quota metric only. The organisation's own
totals and the teams matching the search are counted in one query, and the reps of the
page are read with their open flags in one more, as SQL (`core.sql`): each round trip
and each ORM build was a visible share of a page that should cost about two trivial ones.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import Role, Team, User
from activities.metric_cache import metrics_in_order
from activities.models import Metric
from core.sql import fetch_rows, table, where_in
from targets.attainment import MetricAttainment, attainment_for_ranges
from targets.dashboard.board import _rep_ranges
from targets.dashboard.periods import period_range
from targets.dashboard.rows import TotalCell, total_cell
from targets.models import Flag, FlagStatus
from targets.quota import is_below_quota, quota_attainment, quota_metric_slug

ORGANISATION_PAGE_SIZE = 10  # teams per page: about a hundred reps' attainment
REP_PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 100


@dataclass
class TeamRow:
    team: Team
    reps: int
    quota_label: str
    quota: TotalCell | None  # None: no rep of the team has the metric in the period
    behind: int  # reps below quota in the period
    open_flags: int


@dataclass
class Organisation:
    period: str
    start: dt.date  # the viewer's own calendar (a label)
    end: dt.date
    search: str
    rows: list[TeamRow]
    page: Page
    team_count: int  # teams matching the search
    rep_count: int  # active reps of the organisation
    open_flag_count: int  # open flags of the organisation


def _teams(search: str) -> QuerySet[Team]:
    teams = Team.objects.select_related("manager").order_by("name", "pk")
    return teams.filter(name__icontains=search) if search else teams


def _quota_metrics(teams: list[Team]) -> list[Metric]:
    """The teams' quota metrics, in sort order (from the process's copy of the metrics:
    no query once it is loaded)."""
    slugs = {quota_metric_slug(team) for team in teams}
    return [metric for metric in metrics_in_order() if metric.slug in slugs]


def _reps_with_open_flags(teams: list[Team]) -> list[User]:
    """The active reps of these teams, each with its team (one of `teams`) and its
    count of open flags (`open_flags`), in one query. Only what a row needs is read
    (the zone, work week and hours that attainment uses); any other field would be
    read on access, one query per rep, which the pinned query count would show."""
    if not teams:
        return []
    teams_by_id = {team.pk: team for team in teams}
    teams_in, params = where_in("rep.team_id", list(teams_by_id))
    reps = list(
        User.objects.raw(
            "SELECT rep.id, rep.team_id, rep.timezone, rep.work_days, rep.work_end,"
            " rep.start_date, (SELECT COUNT(*)"
            f" FROM {table(Flag)} flag WHERE flag.rep_id = rep.id AND flag.status = %s"
            f") AS open_flags FROM {table(User)} rep"
            f" WHERE {teams_in} AND rep.role = %s AND rep.is_active = %s",
            [FlagStatus.OPEN, *params, Role.REP, True],
        )
    )
    for rep in reps:
        rep.team = teams_by_id[rep.team_id]  # the caller's team objects: no join
    return reps


def team_rows(
    *, teams: list[Team], period: str, start, end, now: dt.datetime
) -> list[TeamRow]:
    """One row per team: four queries (reps with their open flags, quota metrics,
    targets, tallies), whatever the teams' sizes."""
    reps = _reps_with_open_flags(teams)
    metrics = _quota_metrics(teams) if teams else []
    by_rep = attainment_for_ranges(
        reps=reps,
        ranges=_rep_ranges(reps=reps, period=period, now=now, start=start, end=end),
        now=now,
        metrics=metrics,
    )
    labels = {metric.slug: metric.label for metric in metrics}
    members: dict[int, list[User]] = {team.pk: [] for team in teams}
    for rep in reps:
        members[rep.team_id].append(rep)
    rows = []
    for team in teams:
        quotas: list[MetricAttainment] = []
        behind = 0
        for rep in members[team.pk]:
            quota = quota_attainment(by_rep[rep.pk, period]) if by_rep else None
            if quota is not None:
                quotas.append(quota)
            behind += is_below_quota(quota)
        slug = quota_metric_slug(team)
        rows.append(
            TeamRow(
                team=team,
                reps=len(members[team.pk]),
                quota_label=labels.get(slug, slug),
                quota=total_cell(quotas, quotas[0].unit) if quotas else None,
                behind=behind,
                open_flags=sum(rep.open_flags for rep in members[team.pk]),
            )
        )
    return rows


_REPS_COUNT = f"SELECT COUNT(*) FROM {table(User)} WHERE role = %s AND is_active = %s"
_OPEN_FLAGS_COUNT = f"SELECT COUNT(*) FROM {table(Flag)} WHERE status = %s"


def _counts(teams: QuerySet[Team]) -> tuple[int, int, int]:
    """The teams matching the search, the organisation's active reps and its open
    flags: one query of three counts."""
    teams_sql, teams_params = teams.order_by().values("pk").query.sql_with_params()
    [row] = fetch_rows(
        f"SELECT (SELECT COUNT(*) FROM ({teams_sql}) matching),"
        f" ({_REPS_COUNT}), ({_OPEN_FLAGS_COUNT})",
        [*teams_params, Role.REP, True, FlagStatus.OPEN],
    )
    return row


def _page_and_counts(
    teams: QuerySet[Team], page: str | int | None
) -> tuple[Page, tuple[int, int, int]]:
    """A page of the teams (as `Paginator.get_page` picks it) and `_counts`, in one
    query when the page asked for has teams (the counts ride along on every row),
    in two otherwise (no teams, or a page past the end or not a number)."""
    paginator = Paginator(teams, ORGANISATION_PAGE_SIZE)
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        number = 1
    if number >= 1:
        offset = (number - 1) * ORGANISATION_PAGE_SIZE
        teams_sql, teams_params = teams.order_by().values("pk").query.sql_with_params()
        rows = list(
            teams.annotate(
                # A subquery rather than a window: the page is then read by the name
                # index, ten teams and their managers, not every team joined first.
                matching_count=RawSQL(
                    f"SELECT COUNT(*) FROM ({teams_sql}) matching", teams_params
                ),
                reps_count=RawSQL(_REPS_COUNT, (Role.REP, True)),
                open_flags_count=RawSQL(_OPEN_FLAGS_COUNT, (FlagStatus.OPEN,)),
            )[offset : offset + ORGANISATION_PAGE_SIZE]
        )
        if rows:
            first = rows[0]
            paginator.count = first.matching_count
            counts = (first.matching_count, first.reps_count, first.open_flags_count)
            return Page(rows, number, paginator), counts
    counts = _counts(teams)
    paginator.count = counts[0]
    teams_page = paginator.get_page(page)
    teams_page.object_list = list(teams_page.object_list)
    return teams_page, counts


def organisation_for(
    *,
    viewer: User,
    period: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    search: str = "",
    page: str | int | None = 1,
    now: dt.datetime | None = None,
) -> Organisation:
    """The organisation view for an admin: a page of teams (by name, filtered by
    `search`) with their rows, and the organisation's counts. Four queries (the
    process's metrics loaded), one more for an empty or out-of-range page."""
    now = now or timezone.now()
    search = search.strip()[:SEARCH_MAX_LENGTH]
    teams_page, (team_count, rep_count, open_flag_count) = _page_and_counts(
        _teams(search), page
    )
    teams = list(teams_page.object_list)
    viewer_start, viewer_end = period_range(
        period=period, local_today=viewer.local_date(now), start=start, end=end
    )
    return Organisation(
        period=period,
        start=viewer_start,
        end=viewer_end,
        search=search,
        rows=team_rows(teams=teams, period=period, start=start, end=end, now=now),
        page=teams_page,
        team_count=team_count,
        rep_count=rep_count,
        open_flag_count=open_flag_count,
    )


def reps_matching(*, search: str, page: str | int | None = 1) -> Page:
    """Active reps whose name or email holds `search` (every rep without one), by
    name, a page at a time, each with their team: two queries."""
    search = search.strip()[:SEARCH_MAX_LENGTH]
    reps = (
        User.objects.filter(role=Role.REP, is_active=True)
        .select_related("team")
        .order_by("first_name", "last_name", "email", "pk")
    )
    for word in search.split():
        reps = reps.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return Paginator(reps, REP_PAGE_SIZE).get_page(page)
