"""The one quota rule: which metric is a rep's quota, and whether a period is below it.

A team's quota is the monthly target of its `Team.quota_metric`. The review's below-quota
flag, the autonomy demotion and the dashboard's "behind on quota" all ask here, so a team
whose quota is deals is judged on deals everywhere.
"""

from accounts.models import Team, User
from targets.attainment import BEHIND, MetricAttainment, RepAttainment

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
