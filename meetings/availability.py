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
    person: User, starts_at: dt.datetime, ends_at: dt.datetime
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
            inside_work_hours=inside_work_hours(person, starts_at, ends_at),
        )
        for person in people
    ]


def round_up(moment: dt.datetime, *, minutes: int = SLOT_STEP_MINUTES) -> dt.datetime:
    """The first slot boundary at or after `moment` (boundaries are whole UTC steps)."""
    moment = moment.astimezone(dt.UTC).replace(second=0, microsecond=0)
    remainder = moment.minute % minutes
    return moment + dt.timedelta(minutes=(minutes - remainder) % minutes)


def free_slots(
    *,
    people: Sequence[User],
    duration_minutes: int,
    after: dt.datetime,
    busy: Sequence[tuple[dt.datetime, dt.datetime]] = (),
    count: int = 5,
    horizon_days: int = 14,
) -> list[dt.datetime]:
    """The next `count` starts inside everyone's work hours that clash with nothing busy."""
    length = dt.timedelta(minutes=duration_minutes)
    step = dt.timedelta(minutes=SLOT_STEP_MINUTES)
    candidate = round_up(after)
    horizon = candidate + dt.timedelta(days=horizon_days)
    found: list[dt.datetime] = []
    while candidate < horizon and len(found) < count:
        end = candidate + length
        if all(
            inside_work_hours(person, candidate, end) for person in people
        ) and not any(start < end and candidate < stop for start, stop in busy):
            found.append(candidate)
            # The next proposal starts after this one, so proposals do not overlap.
            candidate = round_up(end)
            continue
        candidate += step
    return found
