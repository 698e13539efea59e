"""The admin's organisation view: one row per team, a page of teams at a time.

A row is a team's quota against its target for the period (the team's reps added up,
`rows.total_cell`), how many of its reps are behind on quota (`targets.quota`, the one
quota rule, on each rep's own attainment) and its open flags. A team's row links to its
dashboard (the drill-down); the rep search lists reps by name or email, a page at a time.

The cost follows the page, not the organisation: a fixed number of queries whatever the
number of teams or reps, and attainment is computed for the reps of the teams shown
(`ORGANISATION_PAGE_SIZE` of them), on their quota metric only. The organisation's own
totals are two counts.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Role, Team, User
from activities.models import Metric
from targets.attainment import MetricAttainment, attainment_for_ranges
from targets.dashboard.board import _rep_ranges, dashboard_reps
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
    slugs = {quota_metric_slug(team) for team in teams}
    return list(Metric.objects.filter(slug__in=slugs).order_by("sort_order", "slug"))


def team_rows(
    *, teams: list[Team], period: str, start, end, now: dt.datetime
) -> list[TeamRow]:
    """One row per team: four queries (reps, quota metrics, targets, tallies) and
    one for the open flags, whatever the teams' sizes."""
    reps = dashboard_reps(teams=teams, now=now)
    metrics = _quota_metrics(teams) if teams else []
    by_rep = attainment_for_ranges(
        reps=reps,
        ranges=_rep_ranges(reps=reps, period=period, now=now, start=start, end=end),
        now=now,
        metrics=metrics,
    )
    flags: dict[int, int] = {}
    if reps:
        for rep_id in Flag.objects.filter(
            rep_id__in=[rep.pk for rep in reps], status=FlagStatus.OPEN
        ).values_list("rep_id", flat=True):
            flags[rep_id] = flags.get(rep_id, 0) + 1
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
                open_flags=sum(flags.get(rep.pk, 0) for rep in members[team.pk]),
            )
        )
    return rows


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
    `search`) with their rows, and the organisation's counts. Nine queries."""
    now = now or timezone.now()
    search = search.strip()[:SEARCH_MAX_LENGTH]
    teams_page = Paginator(_teams(search), ORGANISATION_PAGE_SIZE).get_page(page)
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
        team_count=teams_page.paginator.count,
        rep_count=User.objects.filter(role=Role.REP, is_active=True).count(),
        open_flag_count=Flag.objects.filter(status=FlagStatus.OPEN).count(),
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
