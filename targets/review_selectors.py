"""Reads of the review's output (flags and kudos), scoped by the viewer."""

from django.db.models import Q, QuerySet

from accounts.models import Team, User
from accounts.permissions import records_q
from targets.models import Flag, FlagStatus, Kudos


def flags_for_viewer(viewer: User) -> QuerySet[Flag]:
    return Flag.objects.filter(records_q(viewer)).select_related("rep", "metric")


def flags_needing_attention(*, viewer: User, team: Team | None = None) -> list[Flag]:
    """Open flags of the reps the viewer looks after, newest first (two queries at most)."""
    flags = flags_for_viewer(viewer).filter(status=FlagStatus.OPEN).exclude(rep=viewer)
    if team is not None:
        flags = flags.filter(rep__team=team)
    return list(flags.order_by("-created_at")[:50])


def kudos_for_viewer(viewer: User) -> QuerySet[Kudos]:
    """Praise the viewer may see: their own, their teams' (a team feed for reps too)."""
    scope = records_q(viewer)
    if viewer.team_id:
        scope |= Q(rep__team_id=viewer.team_id)
    return Kudos.objects.filter(scope).select_related("rep", "given_by")


def kudos_recent_for_rep(rep: User, *, limit: int = 5) -> list[Kudos]:
    return list(Kudos.objects.filter(rep=rep).select_related("given_by")[:limit])
