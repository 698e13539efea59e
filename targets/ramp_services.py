"""Writes about ramps: starting one from a template at onboarding, ending one early.

Every write records a `RampChange` with its reason, so a rep's history says why their
targets counted at a share of the full ones and since when they count in full.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from accounts.notifications import notify
from accounts.permissions import is_staff_member, may_manage
from targets.models import RampChange, RampChangeKind, RepRamp, TargetTemplate
from targets.ramps import ramp_steps_check


def ramps_start_for_new_reps(
    *,
    starts: dict[User, dt.date],
    template: TargetTemplate,
    by: User | None,
    now: dt.datetime | None = None,
) -> list[RepRamp]:
    """Give new reps the template's ramp from the day their targets begin, in bulk.

    Reps who already have a ramp keep it; a template without steps starts none.
    """
    steps = ramp_steps_check(template.ramp_steps)
    if not steps or not starts:
        return []
    now = now or timezone.now()
    has_ramp = set(
        RepRamp.objects.filter(rep__in=list(starts)).values_list("rep_id", flat=True)
    )
    fresh = {rep: day for rep, day in starts.items() if rep.pk not in has_ramp}
    ramps = RepRamp.objects.bulk_create(
        RepRamp(rep=rep, template=template, starts_on=day, steps=steps)
        for rep, day in fresh.items()
    )
    reason = _("From the template “%(template)s”.") % {"template": template.name}
    RampChange.objects.bulk_create(
        RampChange(
            rep=rep,
            kind=RampChangeKind.STARTED,
            steps=steps,
            reason=reason,
            by=by,
            changed_at=now,
        )
        for rep in fresh
    )
    return ramps


@transaction.atomic
def ramp_end(
    *, rep: User, by: User, reason: str, now: dt.datetime | None = None
) -> RampChange:
    """End a rep's ramp early: their full targets count from today in their calendar.

    The ramp's earlier weeks keep their share (past periods are judged as they were
    agreed). Needs the rep's manager or an admin, and a reason, which the rep is told.
    """
    if not (is_staff_member(by) and may_manage(by, rep)):
        raise PermissionDenied(_("Only the rep's manager or an admin may end a ramp."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the ramp ends early.")})
    ramp = RepRamp.objects.select_for_update().filter(rep=rep).first()
    today = rep.local_date(now)
    if ramp is None or ramp.curve.full_from <= today:
        raise ValidationError(_("The rep is not on a ramp."))
    ramp.ended_on = max(today, ramp.starts_on)
    ramp.save(update_fields=["ended_on"])
    change = RampChange.objects.create(
        rep=rep,
        kind=RampChangeKind.ENDED,
        steps=ramp.steps,
        ended_on=ramp.ended_on,
        reason=reason[:300],
        by=by,
        changed_at=now or timezone.now(),
    )
    with override(rep.language):
        notify(
            user=rep,
            key=f"ramp-ended:{change.pk}",
            kind="ramp",
            title=_("Your full targets count from %(day)s")
            % {"day": date_format(ramp.ended_on)},
            body=reason,
        )
    return change
