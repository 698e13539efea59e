"""A rep's arrival and departure: the goal-setting meeting, and a leaver's meetings."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AutonomyLevel, Role, User
from core import events
from meetings.models import (
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Participant,
)
from meetings.selectors import time_suggestions_for
from meetings.services import MAX_DAYS_AHEAD, meeting_schedule

logger = logging.getLogger(__name__)

GOAL_SETTING_MINUTES = 45


@transaction.atomic
def meetings_cancel_future_for(*, user: User, now: dt.datetime | None = None) -> int:
    """A person leaves: cancel what they organise or what is about them, end their series,
    and take them off the other future meetings. Returns how many meetings were cancelled."""
    now = now or timezone.now()
    future = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, starts_at__gte=now)
    cancelled_ids = list(
        future.filter(Q(organiser=user) | Q(rep=user)).values_list("pk", flat=True)
    )
    cancelled = Meeting.objects.filter(pk__in=cancelled_ids).update(
        status=MeetingStatus.CANCELLED, updated_at=now
    )
    for meeting_id in cancelled_ids:
        events.publish("meeting.cancelled", meeting_id=meeting_id)
    Participant.objects.filter(
        user=user,
        meeting__in=future.values("pk"),
        meeting__status=MeetingStatus.SCHEDULED,
    ).delete()
    MeetingSeries.objects.filter(organiser=user, ends_on__isnull=True).update(
        ends_on=now.date()
    )
    for series in user.meeting_series.all():
        series.participants.remove(user)
    return cancelled


@transaction.atomic
def goal_setting_book(
    *, rep: User, by: User | None = None, now: dt.datetime | None = None
) -> Meeting:
    """Book a new rep's goal-setting meeting with their manager; idempotent.

    The first free slot inside both people's work hours, from the rep's start date (or
    now) on. A rep who already has one booked keeps it.
    """
    now = now or timezone.now()
    booked = Meeting.objects.filter(
        rep=rep, kind=MeetingKind.GOAL_SETTING, status=MeetingStatus.SCHEDULED
    ).first()
    if booked:
        return booked
    if rep.role != Role.REP or rep.team is None:
        raise ValidationError(_("Only a rep in a team gets a goal-setting meeting."))
    manager = rep.team.manager
    after = now + dt.timedelta(hours=1)
    if rep.start_date:
        if rep.start_date > (now + dt.timedelta(days=MAX_DAYS_AHEAD)).date():
            # Booking arithmetic overflows near date.max; nobody books that far ahead.
            raise ValidationError(
                _("%(rep)s starts too far ahead to book a goal-setting meeting.")
                % {"rep": rep}
            )
        first_day = dt.datetime.combine(rep.start_date, rep.work_start, rep.zone)
        after = max(after, first_day)
    slots = time_suggestions_for(
        people=[rep, manager],
        duration_minutes=GOAL_SETTING_MINUTES,
        after=after,
        count=1,
        horizon_days=21,
    )
    if not slots:
        raise ValidationError(
            _(
                "%(rep)s and %(manager)s share no free work hours in the next three weeks."
            )
            % {"rep": rep, "manager": manager}
        )
    with translation.override(manager.language):
        title = _("Goal setting with %(name)s") % {"name": rep.get_full_name() or rep}
        agenda = [
            _("Welcome and how we work"),
            _("Your activity targets and quota"),
            _("Check-in rhythm while you ramp up"),
        ]
    return meeting_schedule(
        organiser=manager,
        kind=MeetingKind.GOAL_SETTING,
        title=title,
        starts_at=slots[0],
        duration_minutes=GOAL_SETTING_MINUTES,
        participants=[rep],
        agenda=agenda,
        now=now,
    )


GOAL_SETTING_SWEEP_DAYS = 14


def goal_settings_book(
    *, rep_ids: Iterable[int] | None = None, now: dt.datetime | None = None
) -> int:
    """Book goal-setting meetings for new reps; return how many were booked.

    With `rep_ids`, for those reps; without, a sweep over new reps who joined in the last
    two weeks and never had one (the retry when queueing after onboarding failed). Each
    rep is booked in their own transaction; a rep with no shared free time is logged,
    and so is any other failure for one rep: it must not cost the rest of the batch
    their meetings, run after run.
    """
    now = now or timezone.now()
    reps = User.objects.filter(
        role=Role.REP, is_active=True, team__isnull=False
    ).select_related("team__manager")
    if rep_ids is not None:
        reps = reps.filter(pk__in=list(rep_ids))
    else:
        reps = reps.filter(
            autonomy_level=AutonomyLevel.NEW,
            date_joined__gte=now - dt.timedelta(days=GOAL_SETTING_SWEEP_DAYS),
        )
    reps = reps.exclude(check_ins__kind=MeetingKind.GOAL_SETTING)
    booked = 0
    for rep in reps:
        try:
            goal_setting_book(rep=rep, now=now)
        except ValidationError:
            logger.warning("No goal-setting slot for rep %s", rep.pk, exc_info=True)
            continue
        except Exception:
            logger.exception("Booking a goal-setting meeting failed for rep %s", rep.pk)
            continue
        booked += 1
    return booked
