"""Recurring meetings: a series' slots (dateutil.rrule) and its materialised occurrences."""

import datetime as dt
import zoneinfo

from dateutil import rrule
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role
from meetings.models import (
    ONE_ON_ONE_KINDS,
    MeetingSeries,
    Recurrence,
)
from meetings.selectors import people_invited
from meetings.services.rules import (
    agenda_lines_from,
    meeting_create,
)


def horizon(horizon_days: int | None = None) -> dt.timedelta:
    return dt.timedelta(days=horizon_days or settings.MEETINGS_HORIZON_DAYS)


RRULE_FREQUENCY = {
    Recurrence.WEEKLY: (rrule.WEEKLY, 1),
    Recurrence.BIWEEKLY: (rrule.WEEKLY, 2),
    Recurrence.MONTHLY: (rrule.MONTHLY, 1),
}


def series_slots(
    *, series: MeetingSeries, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """The series' occurrence starts in [start, end), as aware UTC datetimes.

    The rule runs on naive wall-clock times in the series' zone, so each occurrence keeps
    its local time whatever the UTC offset that day (DST).
    """
    zone = zoneinfo.ZoneInfo(series.timezone)
    frequency, interval = RRULE_FREQUENCY[series.recurrence]
    until = dt.datetime.combine(series.ends_on, dt.time.max) if series.ends_on else None
    rule = rrule.rrule(
        frequency,
        interval=interval,
        dtstart=dt.datetime.combine(series.starts_on, series.local_time),
        until=until,
    )
    margin = dt.timedelta(days=1)
    local_from = start.astimezone(zone).replace(tzinfo=None) - margin
    local_to = end.astimezone(zone).replace(tzinfo=None) + margin
    slots = []
    for wall_clock in rule.between(local_from, local_to, inc=True):
        slot = wall_clock.replace(tzinfo=zone).astimezone(dt.UTC)
        if start <= slot < end:
            slots.append(slot)
    return slots


def series_fill(*, series: MeetingSeries, start: dt.datetime, end: dt.datetime) -> int:
    """Create the series' missing occurrences in [start, end); return how many."""
    slots = series_slots(series=series, start=start, end=end)
    if not slots:
        return 0
    existing = set(
        series.meetings.filter(series_slot__in=slots).values_list(
            "series_slot", flat=True
        )
    )
    missing = [slot for slot in slots if slot not in existing]
    if not missing:
        return 0
    participants = list(series.participants.all())
    rep = None
    if series.kind in ONE_ON_ONE_KINDS:
        rep = next((p for p in participants if p.role == Role.REP), None)
    people = people_invited(
        organiser=series.organiser, team=series.team, participants=participants
    )
    agenda_lines = agenda_lines_from(series.agenda)
    created = 0
    for slot in missing:
        try:
            # A savepoint: a concurrent run that created this slot first is not an error.
            with transaction.atomic():
                meeting_create(
                    kind=series.kind,
                    title=series.title,
                    organiser=series.organiser,
                    team=series.team,
                    rep=rep,
                    people=people,
                    starts_at=slot,
                    duration_minutes=series.duration_minutes,
                    video_url=series.video_url,
                    agenda_lines=agenda_lines,
                    series=series,
                )
        except IntegrityError:
            continue
        created += 1
    return created


def series_generate_occurrences(
    *, horizon_days: int | None = None, now: dt.datetime | None = None
) -> int:
    """Create every live series' occurrences up to the horizon; idempotent.

    Each series is filled in its own transaction; the unique (series, slot) constraint
    makes a second or concurrent run create nothing.
    """
    now = now or timezone.now()
    end = now + horizon(horizon_days)
    live = MeetingSeries.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=now.date() - dt.timedelta(days=1))
    ).select_related("organiser", "team__manager")
    created = 0
    for series in live:
        with transaction.atomic():
            created += series_fill(series=series, start=now, end=end)
    return created
