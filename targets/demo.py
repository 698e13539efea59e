"""Demo targets: every demo rep has the Standard targets, agreed, for the whole history;
a rep who started less than the ramp ago is on the Standard ramp."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from targets.models import Target
from targets.ramp_services import ramps_start_for_new_reps
from targets.seeds import STANDARD_RAMP, templates_ensure
from targets.services import targets_apply_template


@transaction.atomic
def targets_seed(
    *,
    reps: list[User],
    days: int,
    now: dt.datetime | None = None,
    unagreed: set[int] | frozenset[int] = frozenset(),
    since: dt.date | None = None,
) -> int:
    """Apply "Standard rep" from `days` ago (or from `since`) to reps without targets;
    returns how many.

    The rep's manager is recorded as having set them; reps in `unagreed` (ids) have not
    agreed yet, so a manager sees someone on the "not yet agreed" list.
    """
    now = now or timezone.now()
    template = templates_ensure()
    if not template.ramp_steps:
        template.ramp_steps = STANDARD_RAMP
        template.save(update_fields=["ramp_steps"])
    ramping = {}
    has_targets = set(
        Target.objects.filter(rep__in=reps).values_list("rep_id", flat=True).distinct()
    )
    seeded = 0
    for rep in reps:
        if rep.pk in has_targets:
            continue
        start = since or rep.local_date(now) - dt.timedelta(days=days)
        if rep.start_date and rep.start_date > start:
            start = rep.start_date  # a new rep's targets begin when they do
        targets = targets_apply_template(
            rep=rep, template=template, by=None, effective_from=start, now=now
        )
        Target.objects.filter(pk__in=[target.pk for target in targets]).update(
            set_by_id=rep.team.manager_id if rep.team_id else None,
            agreed_at=None if rep.pk in unagreed else now,
        )
        if rep.start_date and rep.start_date == start:
            ramping[rep] = start
        seeded += 1
    ramps_start_for_new_reps(starts=ramping, template=template, by=None, now=now)
    return seeded
