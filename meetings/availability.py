"""Work hours across time zones: each person's local time for a slot, and free slots.

Pure functions over people and busy intervals; the database reads happen in `selectors`.
Every datetime in and out is aware; "local" always means the person's own zone.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accounts.models import User

SLOT_STEP_MINUTES = 30


@dataclass(frozen=True)
class LocalSlot:
    """One person's view of a slot: their local start and end, and whether it fits."""

    person: User
    starts_local: dt.datetime
    ends_local: dt.datetime
    inside_work_hours: bool


def inside_work_hours(
    person: User, *, starts_at: dt.datetime, ends_at: dt.datetime
) -> bool:
    """Does [starts_at, ends_at) fall on one of the person's work days, inside their hours?"""
    starts_local = starts_at.astimezone(person.zone)
    ends_local = ends_at.astimezone(person.zone)
    if starts_local.isoweekday() not in (person.work_days or []):
        return False
    day_start = dt.datetime.combine(starts_local.date(), person.work_start, person.zone)
    day_end = dt.datetime.combine(starts_local.date(), person.work_end, person.zone)
    return day_start <= starts_local and ends_local <= day_end


def local_slots_for(
    *, people: Iterable[User], starts_at: dt.datetime, duration_minutes: int
) -> list[LocalSlot]:
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    return [
        LocalSlot(
            person=person,
            starts_local=starts_at.astimezone(person.zone),
            ends_local=ends_at.astimezone(person.zone),
            inside_work_hours=inside_work_hours(
                person, starts_at=starts_at, ends_at=ends_at
            ),
        )
        for person in people
    ]


def round_up(moment: dt.datetime, *, minutes: int = SLOT_STEP_MINUTES) -> dt.datetime:
    """The first slot boundary at or after `moment` (boundaries are whole UTC steps)."""
    moment = moment.astimezone(dt.UTC)
    if moment.second or moment.microsecond:  # 09:00:30 rounds up, never back to 09:00
        moment = moment.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    remainder = moment.minute % minutes
    return moment + dt.timedelta(minutes=(minutes - remainder) % minutes)


Interval = tuple[dt.datetime, dt.datetime]


def work_windows(
    person: User, *, start: dt.datetime, end: dt.datetime
) -> list[Interval]:
    """The person's work hours overlapping [start, end), as aware intervals, in order."""
    zone = person.zone
    work_days = set(person.work_days or [])
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    windows = []
    while day <= last:
        if day.isoweekday() in work_days:
            opens = dt.datetime.combine(day, person.work_start, zone)
            closes = dt.datetime.combine(day, person.work_end, zone)
            if opens < end and start < closes:
                windows.append((opens.astimezone(dt.UTC), closes.astimezone(dt.UTC)))
        day += dt.timedelta(days=1)
    return windows


def intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    """The overlap of two ordered lists of disjoint intervals."""
    overlap, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            overlap.append((start, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return overlap


def subtract(windows: list[Interval], busy: Sequence[Interval]) -> list[Interval]:
    """The parts of ordered, disjoint windows that no busy interval touches."""
    busy = sorted(busy)
    free = []
    for start, end in windows:
        for busy_start, busy_end in busy:
            if busy_end <= start or end <= busy_start:
                continue
            if start < busy_start:
                free.append((start, busy_start))
            start = max(start, busy_end)
        if start < end:
            free.append((start, end))
    return free


def free_slots(
    *,
    people: Sequence[User],
    duration_minutes: int,
    after: dt.datetime,
    busy: Sequence[Interval] = (),
    count: int = 5,
    horizon_days: int = 14,
) -> list[dt.datetime]:
    """The next `count` starts inside everyone's work hours that clash with nothing busy.

    Starts lie on whole UTC half hours. Work hours are intersected as intervals (a few
    per person and day) rather than tested slot by slot, so a pair of people with no
    shared hours costs microseconds, not thousands of time-zone conversions.
    """
    if not people:
        return []
    length = dt.timedelta(minutes=duration_minutes)
    first = round_up(after)
    horizon = first + dt.timedelta(days=horizon_days)
    # A slot may start just before the horizon and end after it.
    shared = work_windows(people[0], start=first, end=horizon + length)
    for person in people[1:]:
        shared = intersect(
            shared, work_windows(person, start=first, end=horizon + length)
        )
    found: list[dt.datetime] = []
    for start, end in subtract(shared, busy):
        candidate = round_up(max(start, first))
        while candidate < horizon and candidate + length <= end:
            found.append(candidate)
            if len(found) == count:
                return found
            # The next proposal starts after this one, so proposals do not overlap.
            candidate = round_up(candidate + length)
    return found
