"""Busy time and free time: what slot choice (`availability.free_slots`) is given.

Busy is a person's scheduled meetings and what their own calendar marks busy
(`ExternalBusy`, filled by a calendar sync). `meetings.selectors` re-exports these.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import DateTimeField, F, IntegerField, Value
from django.utils import timezone

from accounts.models import User
from meetings.availability import free_slots
from meetings.external_busy import ExternalBusy
from meetings.models import MeetingStatus, Participant


def busy_intervals_by_person(
    *, people: list[User], start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Each person's busy time overlapping [start, end), in one query.

    Busy is their scheduled meetings and what their own calendar marks busy
    (`ExternalBusy`, filled by a calendar sync): one UNION, so every caller (find a
    time, plan and goal-setting booking) avoids both at the same query count.
    """
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    no_end = Value(None, output_field=DateTimeField())
    no_length = Value(None, output_field=IntegerField())
    meetings = (
        Participant.objects.filter(
            user__in=people,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__lt=end,
            # A meeting lasts at most eight hours, so earlier starts have ended.
            meeting__starts_at__gte=start - dt.timedelta(hours=8),
        )
        .annotate(
            who=F("user_id"),
            starts=F("meeting__starts_at"),
            minutes=F("meeting__duration_minutes"),
            ends=no_end,
        )
        .values_list("who", "starts", "minutes", "ends")
    )
    elsewhere = (
        ExternalBusy.objects.filter(
            person__in=people, starts_at__lt=end, ends_at__gt=start
        )
        .annotate(
            who=F("person_id"),
            starts=F("starts_at"),
            minutes=no_length,
            ends=F("ends_at"),
        )
        .values_list("who", "starts", "minutes", "ends")
    )
    for user_id, starts_at, minutes, ends_at in meetings.union(elsewhere, all=True):
        if ends_at is None:
            ends_at = starts_at + dt.timedelta(minutes=minutes)
        busy[user_id].append((starts_at, ends_at))
    return busy


def busy_intervals_for(
    *, people: list[User], start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Scheduled meetings of any of these people overlapping [start, end)."""
    by_person = busy_intervals_by_person(people=people, start=start, end=end)
    return sorted({interval for busy in by_person.values() for interval in busy})


def time_suggestions_for(
    *,
    people: list[User],
    duration_minutes: int,
    after: dt.datetime | None = None,
    count: int = 5,
    horizon_days: int = 14,
) -> list[dt.datetime]:
    """Find a time: the next starts inside everyone's work hours, clear of their meetings."""
    after = after or timezone.now()
    busy = busy_intervals_for(
        people=people, start=after, end=after + dt.timedelta(days=horizon_days)
    )
    return free_slots(
        people=people,
        duration_minutes=duration_minutes,
        after=after,
        busy=busy,
        count=count,
        horizon_days=horizon_days,
    )
