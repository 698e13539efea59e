"""Reads for calendars: whose feed a token opens, what a feed or a meeting's .ics holds.

Scoped like every meetings read: a feed holds its owner's meetings, an .ics what the
viewer sees (`selectors.meetings_visible_to`).
"""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from meetings.models import CalendarFeedToken, Meeting, Participant
from meetings.selectors import meetings_visible_to


def feed_owner(*, token: str) -> User | None:
    """The person whose live feed token this is, or None (unknown or revoked)."""
    found = (
        CalendarFeedToken.objects.filter(
            token=token, revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    return found.user if found else None


FEED_DAYS_BACK = 90


def feed_window_start(*, now: dt.datetime | None = None) -> dt.datetime:
    """A feed holds the last 90 days and everything ahead."""
    return (now or timezone.now()) - dt.timedelta(days=FEED_DAYS_BACK)


def feed_meetings_for(*, user: User, now: dt.datetime | None = None):
    """A person's meetings for their calendar feed, from `feed_window_start` on."""
    return (
        Meeting.objects.filter(
            pk__in=Participant.objects.filter(user=user).values("meeting_id"),
            starts_at__gte=feed_window_start(now=now),
        )
        .select_related("organiser", "series")
        .order_by("starts_at", "pk")
    )


def calendar_meetings_for(*, viewer: User, meeting: Meeting) -> list[Meeting]:
    """What a meeting's .ics holds: the meeting, or every occurrence of its series
    that the viewer sees."""
    if meeting.series_id is None:
        return [meeting]
    return list(
        meetings_visible_to(viewer)
        .filter(series_id=meeting.series_id)
        .select_related("organiser", "series")
        .order_by("series_slot", "pk")
    )
