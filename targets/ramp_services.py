"""Writes about ramps: starting one from a template at onboarding, changing one, and
ending one early.

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
from targets.ramps import Ramp, ramp_steps, ramp_steps_check


def ramps_start_for_new_reps(
    *,
    starts: dict[User, dt.date],
    template: TargetTemplate,
    by: User | None,
    now: dt.datetime | None = None,
) -> list[RepRamp]:
    """Give new reps the template's ramp, each from their day in `starts` (their
    start date), in bulk: two inserts and a read, whatever the number of reps.

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
    RampChange.objects.bulk_create(
        RampChange(
            rep=rep,
            kind=RampChangeKind.STARTED,
            steps=steps,
            reason=_template_reason(template, rep.language),
            template=template,
            by=by,
            changed_at=now,
        )
        for rep in fresh
    )
    return ramps


def _template_reason(template: TargetTemplate, language: str) -> str:
    # Written in the rep's own language, as the review writes its reasons: the rep is the
    # one the history explains.
    with override(language):
        return _("From the template “%(template)s”.") % {"template": template.name}


def _ramp_to_change(*, rep: User, by: User, reason: str, now) -> tuple[RepRamp, str]:
    """The rep's running ramp, locked, and the reason, once the checks pass."""
    if not (is_staff_member(by) and may_manage(by, rep)):
        raise PermissionDenied(
            _("Only the rep's manager or an admin may change a ramp.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the ramp changes.")})
    ramp = RepRamp.objects.select_for_update().filter(rep=rep).first()
    if ramp is None or ramp.curve.full_from <= rep.local_date(now):
        raise ValidationError(_("The rep is not on a ramp."))
    return ramp, reason[:300]


def _ramp_changed(
    *, ramp: RepRamp, kind: str, reason: str, by: User, now, title: str
) -> RampChange:
    """Record a change to a running ramp and tell the rep why."""
    change = RampChange.objects.create(
        rep=ramp.rep,
        kind=kind,
        steps=ramp.steps,
        ended_on=ramp.ended_on,
        reason=reason,
        by=by,
        changed_at=now or timezone.now(),
    )
    notify(
        user=ramp.rep,
        key=f"ramp-{kind}:{change.pk}",
        kind="ramp",
        title=title,
        body=reason,
    )
    return change


@transaction.atomic
def ramp_change(
    *, rep: User, steps, by: User, reason: str, now: dt.datetime | None = None
) -> RampChange:
    """Give a running ramp new steps (longer, shorter, other percents from now on).

    The days already past keep the percent they had: a change that would alter one is
    refused, so past periods are judged as they were agreed. Needs the rep's manager
    or an admin, and a reason, which the rep is told.
    """
    ramp, reason = _ramp_to_change(rep=rep, by=by, reason=reason, now=now)
    new_steps = ramp_steps_check(steps)
    if not new_steps:
        raise ValidationError({"steps": _("Give the ramp at least one step.")})
    today = rep.local_date(now)
    before, after = ramp.curve, Ramp(ramp.starts_on, ramp_steps(new_steps))
    day = ramp.starts_on
    while day < today:
        if before.percent_on(day) != after.percent_on(day):
            raise ValidationError(
                {
                    "steps": _(
                        "The ramp's days before today keep their percent; change "
                        "only the weeks from today on."
                    )
                }
            )
        day += dt.timedelta(days=1)
    ramp.steps = new_steps
    ramp.save(update_fields=["steps"])
    with override(rep.language):
        title = _("Your ramp has changed")
    return _ramp_changed(
        ramp=ramp,
        kind=RampChangeKind.CHANGED,
        reason=reason,
        by=by,
        now=now,
        title=title,
    )


@transaction.atomic
def ramp_end(
    *, rep: User, by: User, reason: str, now: dt.datetime | None = None
) -> RampChange:
    """End a rep's ramp early: their full targets count from today in their calendar.

    The ramp's earlier weeks keep their share (past periods are judged as they were
    agreed). Needs the rep's manager or an admin, and a reason, which the rep is told.
    """
    ramp, reason = _ramp_to_change(rep=rep, by=by, reason=reason, now=now)
    ramp.ended_on = max(rep.local_date(now), ramp.starts_on)
    ramp.save(update_fields=["ended_on"])
    with override(rep.language):
        title = _("Your full targets count from %(day)s") % {
            "day": date_format(ramp.ended_on, "j M Y")
        }
    return _ramp_changed(
        ramp=ramp, kind=RampChangeKind.ENDED, reason=reason, by=by, now=now, title=title
    )
