"""Recurring meetings: a series' slots (dateutil.rrule) and its materialised occurrences."""

import datetime as dt
import zoneinfo

from dateutil import rrule
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from meetings.models import (
    ONE_ON_ONE_KINDS,
    Meeting,
    MeetingSeries,
    Recurrence,
)
from meetings.selectors import meetings_visible_to, people_invited
from meetings.services.rules import (
    MAX_DAYS_AHEAD,
    agenda_lines_from,
    meetings_create,
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


def occurrence_start(*, series: MeetingSeries, slot: dt.datetime) -> dt.datetime:
    """Where the series' occurrence at this slot of its rule starts.

    A rotating series (`rotation_times`: two or three local "HH:MM" times, weekly or
    every two weeks) gives its n-th occurrence the time n mod len, on the slot's local
    date, so the out-of-hours burden is shared (`meetings.fair_hours`). The slot stays
    the rule's, so calendars see the rotation as overrides of one RRULE and
    regeneration finds each occurrence again. Without a rotation it is the slot.
    """
    if not series.rotation_times:
        return slot
    zone = zoneinfo.ZoneInfo(series.timezone)
    local_time = dt.time.fromisoformat(
        series.rotation_times[rotation_index(series=series, slot=slot)]
    )
    local_date = slot.astimezone(zone).date()
    return dt.datetime.combine(local_date, local_time, zone).astimezone(dt.UTC)


def rotation_index(*, series: MeetingSeries, slot: dt.datetime) -> int:
    """Which of a rotating series' times the occurrence at this rule slot takes."""
    local_date = slot.astimezone(zoneinfo.ZoneInfo(series.timezone)).date()
    _frequency, interval = RRULE_FREQUENCY[series.recurrence]
    index = (local_date - series.starts_on).days // (7 * interval)
    return index % len(series.rotation_times)


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
    created = 0
    for row in occurrence_rows(series=series, slots=missing):
        try:
            # A savepoint: a concurrent run that created this slot first is not an error.
            with transaction.atomic():
                meetings_create([row])
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


def series_fill_window(
    *,
    viewer: User,
    start: dt.datetime | None,
    end: dt.datetime,
    now: dt.datetime | None = None,
) -> int:
    """Create the missing occurrences in [start, end) of the series the viewer sees.

    A listing of any window then shows every occurrence, however far ahead. The hourly
    job keeps every series filled up to the horizon, so only the part of the window past
    it is filled here (a day's margin), and never past the furthest a meeting may be
    booked (`MAX_DAYS_AHEAD`). The viewer sees a series when they see one of its
    occurrences: the one policy, through `meetings_visible_to`. Nothing missing costs
    one or two queries, whatever the length of the window.
    """
    now = now or timezone.now()
    start = max(start or now, now + horizon() - dt.timedelta(days=1))
    end = min(end, now + dt.timedelta(days=MAX_DAYS_AHEAD))
    if start >= end:
        return 0
    series_in_window = list(
        MeetingSeries.objects.filter(
            Q(ends_on__isnull=True)
            | Q(ends_on__gte=start.date() - dt.timedelta(days=1)),
            pk__in=meetings_visible_to(viewer).values("series_id"),
            starts_on__lte=end.date() + dt.timedelta(days=1),
        ).select_related("organiser", "team__manager")
    )
    if not series_in_window:
        return 0
    existing = set(
        Meeting.objects.filter(
            series__in=series_in_window, series_slot__gte=start, series_slot__lt=end
        ).values_list("series_id", "series_slot")
    )
    rows = []
    for series in series_in_window:
        missing = [
            slot
            for slot in series_slots(series=series, start=start, end=end)
            if (series.pk, slot) not in existing
        ]
        if missing:
            rows.extend(occurrence_rows(series=series, slots=missing))
    if not rows:
        return 0
    try:
        with transaction.atomic():
            meetings_create(rows)
    except IntegrityError:
        # A concurrent listing created some of them first: fill slot by slot instead.
        return sum(
            series_fill(series=series, start=start, end=end)
            for series in series_in_window
        )
    return len(rows)


def occurrence_rows(
    *, series: MeetingSeries, slots: list[dt.datetime]
) -> list[tuple[Meeting, list[User], list[str]]]:
    """Unsaved occurrences of the series at these slots, for `meetings_create`."""
    participants = list(series.participants.all())
    rep = None
    if series.kind in ONE_ON_ONE_KINDS:
        rep = next((p for p in participants if p.role == Role.REP), None)
    people = people_invited(
        organiser=series.organiser, team=series.team, participants=participants
    )
    agenda_lines = agenda_lines_from(series.agenda)
    return [
        (
            Meeting(
                kind=series.kind,
                title=series.title,
                organiser=series.organiser,
                team=series.team,
                rep=rep,
                starts_at=occurrence_start(series=series, slot=slot),
                duration_minutes=series.duration_minutes,
                video_url=series.video_url,
                series=series,
                series_slot=slot,
            ),
            people,
            agenda_lines,
        )
        for slot in slots
    ]
