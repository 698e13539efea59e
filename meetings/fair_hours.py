"""Fair hours: whose evening a meeting costs, and who has carried that lately.

`outside_work_hours` is the one rule for "this occurrence is outside the person's
hours": the negation of `availability.inside_work_hours`, which the schedule preview's
warning and slot choice already use (work days and hours in the person's own zone).
A series' burden and the rotation that shares it are in `meetings.rotation`.
"""

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from meetings.availability import (
    SLOT_STEP_MINUTES,
    free_slots,
    inside_work_hours,
    round_up,
)
from meetings.busy_times import busy_intervals_for
from meetings.models import MeetingStatus, Participant


def outside_work_hours(person: User, *, starts_at: dt.datetime, minutes: int) -> bool:
    """Does a meeting of `minutes` from `starts_at` fall outside the person's hours?"""
    return not inside_work_hours(
        person, starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=minutes)
    )


def minutes_outside(person: User, *, starts_at: dt.datetime, minutes: int) -> int:
    """How far outside the person's hours a meeting falls: 0 inside, a day on a day off.

    Tells a late evening from the middle of the night when choosing a rotation.
    """
    if not outside_work_hours(person, starts_at=starts_at, minutes=minutes):
        return 0
    local = starts_at.astimezone(person.zone)
    if local.isoweekday() not in (person.work_days or []):
        return 24 * 60
    start = local.hour * 60 + local.minute
    opens = person.work_start.hour * 60 + person.work_start.minute
    closes = person.work_end.hour * 60 + person.work_end.minute
    return max(opens - start, 0) + max(start + minutes - closes, 0)


def out_of_hours_counts(
    *, people: Sequence[User], now: dt.datetime | None = None, days: int | None = None
) -> dict[int, int]:
    """Each person's meetings of the last `days` outside their work hours, one query.

    Counted: meetings the person was invited to (attended or not) that were not
    cancelled, judged by the work hours the person has now.
    """
    now = now or timezone.now()
    days = days or settings.FAIR_HOURS_LOOKBACK_DAYS
    by_pk = {person.pk: person for person in people}
    counts = dict.fromkeys(by_pk, 0)
    invited = (
        Participant.objects.filter(
            user__in=list(by_pk),
            meeting__starts_at__gte=now - dt.timedelta(days=days),
            meeting__starts_at__lt=now,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .values_list("user_id", "meeting__starts_at", "meeting__duration_minutes")
    )
    for user_id, starts_at, minutes in invited:
        if outside_work_hours(by_pk[user_id], starts_at=starts_at, minutes=minutes):
            counts[user_id] += 1
    return counts


@dataclass(frozen=True)
class FairSuggestion:
    """A start "find a time" offers, and the people it would fall outside hours for."""

    starts_at: dt.datetime
    outside: list["Carrier"] = field(default_factory=list)


@dataclass(frozen=True)
class Carrier:
    """Someone a suggestion falls outside hours for, and what they already carry."""

    person: User
    carried: int


def clashes(busy: list[tuple[dt.datetime, dt.datetime]], start, end) -> bool:
    """Does [start, end) overlap any of the sorted, merged busy intervals?"""
    index = bisect.bisect_left(busy, (end,))
    return index > 0 and busy[index - 1][1] > start


def merged(busy: Sequence[tuple[dt.datetime, dt.datetime]]):
    intervals: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(busy):
        if intervals and start <= intervals[-1][1]:
            intervals[-1] = (intervals[-1][0], max(intervals[-1][1], end))
        else:
            intervals.append((start, end))
    return intervals


def fair_time_suggestions(
    *,
    people: Sequence[User],
    duration_minutes: int,
    after: dt.datetime | None = None,
    count: int = 5,
    horizon_days: int = 14,
    carried: dict[int, int] | None = None,
) -> list[FairSuggestion]:
    """Find a time, fairly: free in everyone's work hours first, the soonest first.

    When fewer than `count` such slots exist (a team across Athens, New York and
    Sydney has none), the rest are starts clear of everyone's meetings that fall out
    of hours for as few people as possible; among those, a slot that does not add to
    whoever already carries the most out-of-hours meetings (`carried`, from
    `out_of_hours_counts`) comes first, then the lighter total burden, then the sooner.
    Two queries: busy time, and the running counts unless given.
    """
    if not people:
        return []
    after = after or timezone.now()
    horizon = after + dt.timedelta(days=horizon_days)
    busy = busy_intervals_for(people=list(people), start=after, end=horizon)
    if carried is None:
        carried = out_of_hours_counts(people=people)
    found = [
        FairSuggestion(starts_at=start)
        for start in free_slots(
            people=people,
            duration_minutes=duration_minutes,
            after=after,
            busy=busy,
            count=count,
            horizon_days=horizon_days,
        )
    ]
    if len(found) == count:
        return found
    most = max(carried.values(), default=0)
    heaviest = {pk for pk, total in carried.items() if most and total == most}
    busy = merged(busy)
    length = dt.timedelta(minutes=duration_minutes)
    ranked = []
    start = round_up(after)
    while start < horizon:
        if not clashes(busy, start, start + length):
            outside = [
                Carrier(person=person, carried=carried.get(person.pk, 0))
                for person in people
                if outside_work_hours(person, starts_at=start, minutes=duration_minutes)
            ]
            if 0 < len(outside) < len(people):
                ids = {carrier.person.pk for carrier in outside}
                key = (
                    len(outside),
                    bool(ids & heaviest),
                    sum(carried.get(pk, 0) for pk in ids),
                    start,
                )
                ranked.append((key, FairSuggestion(starts_at=start, outside=outside)))
        start += dt.timedelta(minutes=SLOT_STEP_MINUTES)
    ranked.sort(key=lambda pair: pair[0])
    for _key, suggestion in ranked:
        if len(found) == count:
            break
        # Proposals do not overlap one another (nor the free ones above).
        if all(
            abs(suggestion.starts_at - other.starts_at) >= length for other in found
        ):
            found.append(suggestion)
    return found
