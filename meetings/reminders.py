"""Reminder emails before meetings, and each person's reminder preference.

A reminder is due `reminder_minutes` before a meeting (30 by default, per person). The
unique (meeting, person) `ReminderSent` row makes sending idempotent: the periodic task
may run twice, or on two workers, and each person still gets one email.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.models import (
    MAX_REMINDER_MINUTES,
    Meeting,
    MeetingPreference,
    MeetingStatus,
    ReminderSent,
)

logger = logging.getLogger(__name__)

DEFAULT_REMINDER_MINUTES = 30


@transaction.atomic
def meeting_preference_set(*, user: User, reminder_minutes: int) -> MeetingPreference:
    valid = dict(MeetingPreference._meta.get_field("reminder_minutes").choices)
    if reminder_minutes not in valid:
        raise ValidationError({"reminder_minutes": _("Choose one of the options.")})
    preference, _created = MeetingPreference.objects.update_or_create(
        user=user, defaults={"reminder_minutes": reminder_minutes}
    )
    return preference


def reminder_minutes_for(user: User) -> int:
    preference = getattr(user, "meeting_preference", None)
    return preference.reminder_minutes if preference else DEFAULT_REMINDER_MINUTES


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "meetings:detail", kwargs={"pk": meeting.pk}
    )


@transaction.atomic
def reminder_send(*, meeting: Meeting, user: User, now: dt.datetime) -> bool:
    """Email one person one reminder; False when it was already sent.

    The unique (meeting, user) row is written first: a second run finds it and sends
    nothing; a failed send rolls the row back so the next run retries.
    """
    _reminder, created = ReminderSent.objects.get_or_create(
        meeting=meeting, user=user, defaults={"sent_at": now}
    )
    if not created:
        return False
    with translation.override(user.language):
        local_start = meeting.starts_at.astimezone(user.zone)
        context = {
            "meeting": meeting,
            "person": user,
            "local_start": local_start,
            "zone": user.timezone,
            "url": meeting_url(meeting),
        }
        subject = _("Reminder: %(title)s at %(time)s") % {
            "title": meeting.title,
            "time": local_start.strftime("%H:%M"),
        }
        body = render_to_string("meetings/email/reminder.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Send every reminder that is due; return how many went out. Safe to run twice."""
    now = now or timezone.now()
    upcoming = (
        Meeting.objects.filter(
            status=MeetingStatus.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(minutes=MAX_REMINDER_MINUTES),
        )
        .select_related("organiser")
        .prefetch_related("attendance__user__meeting_preference")
    )
    already = set(
        ReminderSent.objects.filter(meeting__in=upcoming).values_list(
            "meeting_id", "user_id"
        )
    )
    sent = 0
    for meeting in upcoming:
        for participant in meeting.attendance.all():
            person = participant.user
            minutes = reminder_minutes_for(person)
            if (
                not person.is_active
                or not minutes
                or (meeting.pk, person.pk) in already
                or meeting.starts_at - dt.timedelta(minutes=minutes) > now
            ):
                continue
            try:
                sent += reminder_send(meeting=meeting, user=person, now=now)
            except Exception:
                logger.exception(
                    "Reminder for meeting %s to user %s failed; will retry",
                    meeting.pk,
                    person.pk,
                )
    return sent
