"""Reads of the review's output (flags and kudos), scoped by the viewer."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Team, User
from accounts.permissions import records_q
from targets.models import Flag, FlagKind, FlagStatus, Kudos
from targets.review.dips import quiet_rep_ids_read, without_quiet_dips


def flags_for_viewer(viewer: User) -> QuerySet[Flag]:
    return Flag.objects.filter(records_q(viewer)).select_related("rep", "metric")


def flags_needing_attention(
    *, viewer: User, team: Team | None = None, now: dt.datetime | None = None
) -> list[Flag]:
    """Open flags of the reps the viewer looks after, newest first (two queries at most).

    A dip of a rep who earned quiet is left out (`targets.review.dips.earned_quiet`):
    reading their month costs two more queries, only when a trusted rep has one.
    """
    flags = flags_for_viewer(viewer).filter(status=FlagStatus.OPEN).exclude(rep=viewer)
    if team is not None:
        flags = flags.filter(rep__team=team)
    flags = list(flags.select_related("rep__team").order_by("-created_at")[:50])
    dipping = {f.rep_id: f.rep for f in flags if f.kind == FlagKind.ACTIVITY_DIP}
    quiet = quiet_rep_ids_read(list(dipping.values()), now or timezone.now())
    return without_quiet_dips(flags, quiet)


def kudos_for_viewer(viewer: User) -> QuerySet[Kudos]:
    """Praise the viewer may see: their own, their teams' (a team feed for reps too)."""
    scope = records_q(viewer)
    if viewer.team_id:
        scope |= Q(rep__team_id=viewer.team_id)
    return Kudos.objects.filter(scope).select_related("rep", "given_by")


def kudos_recent_for_rep(rep: User, *, limit: int = 5) -> list[Kudos]:
    return list(Kudos.objects.filter(rep=rep).select_related("given_by")[:limit])
