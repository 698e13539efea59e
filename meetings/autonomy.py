"""Autonomy levels: move reps between levels and record why (writes).

The periodic review promotes a rep after `AUTONOMY_PROMOTION_WEEKS` consecutive on-target
ISO weeks (counted since their last change, so one good run promotes once) and demotes a
rep who missed last month's quota on their team's quota metric (once per missed month;
`targets.quota` decides). Every change is an `AutonomyChange`; the review's changes are
unique per rep and day, so running it twice changes nothing.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AutonomyLevel, Role, User
from accounts.notifications import notify
from meetings import cadence
from meetings.models import AutonomyChange
from targets.proven import proven_reason_message
from targets.quota import is_proven


@transaction.atomic
def autonomy_set(
    *,
    rep: User,
    to_level: str,
    reason: str,
    by: User | None = None,
    reviewed_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> AutonomyChange:
    """Move a rep to `to_level`, recording the change and its reason."""
    if rep.role != Role.REP:
        raise ValidationError(_("Only reps have an autonomy level."))
    if to_level not in AutonomyLevel.values:
        raise ValidationError({"to_level": _("Choose an autonomy level.")})
    if to_level == rep.autonomy_level:
        raise ValidationError(
            {"to_level": _("The rep is already at this autonomy level.")}
        )
    reason = (reason or "").strip()
    levels = AutonomyLevel.values
    # Don't fix what works: a person lowering a proven rep says why, and they are told.
    proven_lowered = (
        by is not None
        and levels.index(to_level) < levels.index(rep.autonomy_level)
        and is_proven(rep, now=now)
    )
    if not reason:
        message = proven_reason_message(rep) if proven_lowered else ""
        raise ValidationError({"reason": message or _("Say why the level changes.")})
    change = AutonomyChange.objects.create(
        rep=rep,
        from_level=rep.autonomy_level,
        to_level=to_level,
        reason=reason[:300],
        changed_at=now or timezone.now(),
        reviewed_on=reviewed_on,
        by=by,
    )
    rep.autonomy_level = to_level
    rep.save(update_fields=["autonomy_level"])
    if proven_lowered:
        _lowering_told(change)
    return change


def _lowering_told(change: AutonomyChange) -> None:
    """Tell a proven rep their level was lowered, by whom and why."""
    rep = change.rep
    with translation.override(rep.language):
        notify(
            user=rep,
            key=f"autonomy-lowered:{change.pk}",
            kind="autonomy.lowered",
            title=_("%(by)s moved you to the %(level)s autonomy level")
            % {"by": change.by, "level": change.get_to_level_display().lower()},
            body=_("Reason: %(reason)s") % {"reason": change.reason},
            url=reverse("meetings:list"),
        )


def _previous_month(on: dt.date) -> dt.date:
    """A day in the month before `on`'s month."""
    return on.replace(day=1) - dt.timedelta(days=1)


def _review_rep(*, rep: User, on: dt.date, now: dt.datetime) -> AutonomyChange | None:
    last_change = rep.autonomy_changes.order_by("-changed_at", "-pk").first()
    since = None
    if last_change:
        # A review's change counts from the day it reviewed; a manual one from when made.
        since = (
            last_change.reviewed_on
            or last_change.changed_at.astimezone(rep.zone).date()
        )

    month_day = _previous_month(on)
    month_closed = month_day + dt.timedelta(days=1)
    below = cadence.level_below(rep.autonomy_level)
    if below and (since is None or since < month_closed):
        monthly = cadence.rep_attainment(rep=rep, period="month", on=month_day)
        if cadence.missed_quota(rep=rep, attainment=monthly):
            with translation.override(rep.language):
                month = formats.date_format(month_day, "F Y")
                reason = _("Missed the quota for %(month)s.") % {"month": month}
            return autonomy_set(
                rep=rep, to_level=below, reason=reason, reviewed_on=on, now=now
            )

    above = cadence.level_above(rep.autonomy_level)
    weeks = settings.AUTONOMY_PROMOTION_WEEKS
    if not above or weeks < 1:
        return None
    this_monday = cadence.week_start(on)
    mondays = [this_monday - dt.timedelta(weeks=back) for back in range(1, weeks + 1)]
    earliest = mondays[-1]
    if since is not None and earliest < since:
        return None
    if rep.start_date and earliest < rep.start_date:
        return None
    for monday in mondays:
        if not cadence.rep_attainment(rep=rep, period="week", on=monday).on_target:
            return None
    with translation.override(rep.language):
        reason = _("On target %(weeks)s weeks in a row.") % {"weeks": weeks}
    return autonomy_set(rep=rep, to_level=above, reason=reason, reviewed_on=on, now=now)


def autonomy_review(
    *, on: dt.date | None = None, now: dt.datetime | None = None
) -> list[AutonomyChange]:
    """Review every active rep's level as of `on` (default: each rep's own local date).

    Each rep is reviewed in their own transaction; a rep already changed by a review on
    that date is skipped (and the unique constraint stops a concurrent run).
    """
    now = now or timezone.now()
    # The team says which metric is the quota: read it with the rep, not once per rep.
    reps = User.objects.filter(role=Role.REP, is_active=True).select_related("team")
    reviewed = (
        set(
            # Local dates are within a day of UTC's: the last few days are enough to check.
            AutonomyChange.objects.filter(
                reviewed_on__gte=now.date() - dt.timedelta(days=2)
            ).values_list("rep_id", "reviewed_on")
        )
        if on is None
        else {
            (rep_id, on)
            for rep_id in AutonomyChange.objects.filter(reviewed_on=on).values_list(
                "rep_id", flat=True
            )
        }
    )
    changes = []
    for rep in reps:
        rep_on = on or rep.local_date(now)
        if (rep.pk, rep_on) in reviewed:
            continue
        try:
            with transaction.atomic():
                change = _review_rep(rep=rep, on=rep_on, now=now)
        except IntegrityError:
            continue
        if change:
            changes.append(change)
    return changes
