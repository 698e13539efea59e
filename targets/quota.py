"""The one quota rule: which metric is a rep's quota, and whether a period is below it.

A team's quota is the monthly target of its `Team.quota_metric`. The review's below-quota
flag, the autonomy demotion and the dashboard's "behind on quota" all ask here, so a team
whose quota is deals is judged on deals everywhere.
"""

import datetime as dt

from django.conf import settings

from accounts.models import Team, User
from targets.attainment import BEHIND, MetricAttainment, RepAttainment
from targets.models import MonthResult

# A rep without a team (or a team without a setting) is held to what a new team gets.
DEFAULT_QUOTA_METRIC: str = Team._meta.get_field("quota_metric").default


def quota_metric_slug(team: Team | None) -> str:
    """The slug of the metric whose target is this team's quota."""
    return (team.quota_metric if team is not None else "") or DEFAULT_QUOTA_METRIC


def rep_quota_metric_slug(rep: User) -> str:
    """The slug of the rep's quota metric: their team's (load `team` with the rep)."""
    return quota_metric_slug(rep.team if rep.team_id else None)


def quota_attainment(attainment: RepAttainment) -> MetricAttainment | None:
    """The rep's quota line of an attainment (None when that metric is not shown)."""
    return attainment.for_metric(rep_quota_metric_slug(attainment.rep))


def is_below_quota(quota: MetricAttainment | None) -> bool:
    """Whether a quota line is below its target: a closed period that missed it, or a
    running one behind its pace.

    A period without a quota target (or without the metric) is never below quota.
    """
    return quota is not None and quota.status == BEHIND


def _month_before(month_start: dt.date) -> dt.date:
    return (month_start - dt.timedelta(days=1)).replace(day=1)


def proven_streak(rep: User, *, limit: int, now: dt.datetime | None = None) -> int:
    """Closed months in a row, back from the last one in the rep's calendar, that the
    review judged on quota (`MonthResult.met`), counted up to `limit` (one query)."""
    expected = _month_before(rep.local_date(now).replace(day=1))
    results = MonthResult.objects.filter(rep=rep, month_start__lte=expected).order_by(
        "-month_start"
    )
    streak = 0
    for month_start, met in results.values_list("month_start", "met")[:limit]:
        if month_start != expected or not met:
            break
        streak += 1
        expected = _month_before(expected)
    return streak


def is_proven(rep: User, *, now: dt.datetime | None = None) -> bool:
    """Whether the rep met quota in each of the last `PROVEN_MONTHS` closed months:
    then their autonomy is not lowered, nor their targets raised, without a reason."""
    months = settings.PROVEN_MONTHS
    return months > 0 and proven_streak(rep, limit=months, now=now) >= months
