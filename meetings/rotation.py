"""A recurring meeting's out-of-hours burden, and the rotation that shares it.

A slot is a local start time in the series' zone on the series' own day; a rotation is
two or three of them, the n-th occurrence taking time n mod len
(`services.series.occurrence_start`, the one owner of occurrence times, so what is
previewed here is what gets booked, DST included). Whether one occurrence is out of a
person's hours is `fair_hours.outside_work_hours`. Pure: no database reads.
"""

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.fair_hours import minutes_outside, outside_work_hours
from meetings.models import MeetingSeries, Recurrence
from meetings.services.series import occurrence_start, series_slots

ROTATING_RECURRENCES = (Recurrence.WEEKLY, Recurrence.BIWEEKLY)
ROTATION_SIZES = (2, 3)
# Candidate times a rotation is chosen from: every half hour of the series' day.
CANDIDATE_STEP_MINUTES = 30
# Candidates that differ for nobody are tried once; beyond this many the search stops
# growing (3 of 24 is 12,144 orders), keeping the fairest ones by themselves.
MAX_DISTINCT_CANDIDATES = 24


def rotation_times_for(
    *, first: dt.time, alternate: Sequence[dt.time], recurrence: str
) -> list[str]:
    """A series' `rotation_times` ("HH:MM", first one first), or [] for no rotation."""
    if not alternate:
        return []
    if recurrence not in ROTATING_RECURRENCES:
        raise ValidationError(
            {
                "alternate_times": _(
                    "Only a weekly or two-weekly meeting can alternate between times."
                )
            }
        )
    times = [first.strftime("%H:%M"), *(t.strftime("%H:%M") for t in alternate)]
    if len(times) > max(ROTATION_SIZES):
        raise ValidationError(
            {"alternate_times": _("A meeting alternates between at most three times.")}
        )
    if len(set(times)) != len(times):
        raise ValidationError(
            {"alternate_times": _("Give times that differ from each other.")}
        )
    return times


def rotation_times_seen_from(
    *, series: MeetingSeries, zone: zoneinfo.ZoneInfo, on: dt.datetime
) -> list[dt.time]:
    """A rotating series' times as wall-clock times in `zone` (the viewer's), on the
    series-local date of `on`, so the offset is that of the meeting shown."""
    series_zone = zoneinfo.ZoneInfo(series.timezone)
    local_date = on.astimezone(series_zone).date()
    return [
        dt.datetime.combine(local_date, dt.time.fromisoformat(time), series_zone)
        .astimezone(zone)
        .time()
        for time in series.rotation_times
    ]


def occurrence_starts(
    *,
    zone: str,
    starts_on: dt.date,
    times: Sequence[dt.time],
    recurrence: str = Recurrence.WEEKLY,
    weeks: int | None = None,
) -> list[dt.datetime]:
    """The starts (UTC) a series with these rotation times would book over `weeks`."""
    weeks = weeks or settings.FAIR_HOURS_WEEKS
    series = MeetingSeries(
        recurrence=recurrence,
        timezone=zone,
        starts_on=starts_on,
        local_time=times[0],
        rotation_times=[t.strftime("%H:%M") for t in times] if len(times) > 1 else [],
    )
    start = dt.datetime.combine(starts_on, dt.time.min, dt.UTC) - dt.timedelta(days=1)
    slots = series_slots(
        series=series, start=start, end=start + dt.timedelta(weeks=weeks, days=1)
    )
    return [occurrence_start(series=series, slot=slot) for slot in slots[:weeks]]


@dataclass(frozen=True)
class PersonBurden:
    """One person's share of a slot: their local starts and the occurrences outside."""

    person: User
    local_starts: list[dt.datetime]  # distinct local wall-clock starts, in order
    outside: int


@dataclass(frozen=True)
class SlotBurden:
    local_time: dt.time  # in the series' zone
    occurrences: int
    people: list[PersonBurden]


@dataclass(frozen=True)
class Burden:
    """A series' burden over the horizon: per slot, and per person in all."""

    slots: list[SlotBurden]
    outside_by_person: dict[int, int]

    @property
    def rows(self) -> list[tuple[User, list[PersonBurden], int]]:
        """Per person: their cell of each slot and their total, for a table."""
        if not self.slots:
            return []
        return [
            (
                cells[0].person,
                list(cells),
                self.outside_by_person[cells[0].person.pk],
            )
            for cells in zip(*(slot.people for slot in self.slots), strict=True)
        ]

    @property
    def max_outside(self) -> int:
        return max(self.outside_by_person.values(), default=0)

    @property
    def total_outside(self) -> int:
        return sum(self.outside_by_person.values())


def series_burden(
    *,
    participants: Sequence[User],
    zone: str,
    starts_on: dt.date,
    times: Sequence[dt.time],
    duration_minutes: int,
    recurrence: str = Recurrence.WEEKLY,
    weeks: int | None = None,
) -> Burden:
    """Per person and slot: local times and out-of-hours occurrences over `weeks`."""
    starts = occurrence_starts(
        zone=zone, starts_on=starts_on, times=times, recurrence=recurrence, weeks=weeks
    )
    by_slot = [starts[part :: len(times)] for part in range(len(times))]
    totals = {person.pk: 0 for person in participants}
    slots = []
    for local_time, slot_starts in zip(times, by_slot, strict=True):
        people = []
        for person in participants:
            outside = sum(
                outside_work_hours(person, starts_at=start, minutes=duration_minutes)
                for start in slot_starts
            )
            totals[person.pk] += outside
            local_starts = []
            for start in slot_starts:
                local = start.astimezone(person.zone)
                if all(
                    (seen.isoweekday(), seen.time())
                    != (local.isoweekday(), local.time())
                    for seen in local_starts
                ):
                    local_starts.append(local)
            people.append(
                PersonBurden(person=person, local_starts=local_starts, outside=outside)
            )
        slots.append(
            SlotBurden(
                local_time=local_time, occurrences=len(slot_starts), people=people
            )
        )
    return Burden(slots=slots, outside_by_person=totals)


def candidate_times(step_minutes: int = CANDIDATE_STEP_MINUTES) -> list[dt.time]:
    return [
        dt.time(minute // 60, minute % 60) for minute in range(0, 24 * 60, step_minutes)
    ]


def column_sums(rows: Sequence[Sequence[int]], width: int) -> list[int]:
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * width


def rotation_suggest(
    *,
    participants: Sequence[User],
    zone: str,
    starts_on: dt.date,
    duration_minutes: int,
    candidates: Sequence[dt.time] | None = None,
    recurrence: str = Recurrence.WEEKLY,
    weeks: int | None = None,
    sizes: Sequence[int] = ROTATION_SIZES,
) -> list[dt.time]:
    """The rotation that minimises the most out-of-hours occurrences anyone carries.

    Ties go to the smaller total, then to the hours nearer everyone's work hours
    (a late evening before the middle of the night), then to fewer slots.
    Each candidate's occurrences are judged once per person and position in the
    rotation; orders of slots are then sums, so DST (which moves who is out of hours
    from one week to the next) is counted exactly.
    """
    weeks = weeks or settings.FAIR_HOURS_WEEKS
    candidates = list(candidates or candidate_times())
    if not participants or not candidates:
        return []
    # outside[c][i][p]: is occurrence i at candidate c outside person p's hours?
    # distance[c][i]: how far outside everyone's hours it is, in minutes, summed.
    outside, distance = [], []
    for local_time in candidates:
        starts = occurrence_starts(
            zone=zone,
            starts_on=starts_on,
            times=[local_time],
            recurrence=recurrence,
            weeks=weeks,
        )
        far = [
            [
                minutes_outside(p, starts_at=s, minutes=duration_minutes)
                for p in participants
            ]
            for s in starts
        ]
        outside.append([tuple(int(bool(m)) for m in row) for row in far])
        distance.append([sum(row) for row in far])
    distinct: dict[tuple, int] = {}
    for index, rows in enumerate(outside):
        seen = distinct.setdefault(tuple(rows), index)
        if sum(distance[index]) < sum(distance[seen]):
            distinct[tuple(rows)] = index
    kept = sorted(
        distinct.values(),
        key=lambda c: (sum(map(sum, outside[c])), sum(distance[c]), c),
    )
    kept = sorted(kept[:MAX_DISTINCT_CANDIDATES])
    best, best_key = [], None
    for size in sizes:
        # share[c][k]: per person, occurrences i ≡ k (mod size) outside at candidate c.
        share = {
            c: [
                column_sums(outside[c][k::size], len(participants)) for k in range(size)
            ]
            for c in kept
        }
        for order in itertools.permutations(kept, size):
            counts = column_sums(
                [share[c][k] for k, c in enumerate(order)], len(participants)
            )
            far = sum(sum(distance[c][k::size]) for k, c in enumerate(order))
            key = (max(counts), sum(counts), far, size, order)
            if best_key is None or key < best_key:
                best, best_key = [candidates[c] for c in order], key
    return best
