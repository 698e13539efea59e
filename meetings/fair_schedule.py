"""What the schedule page shows about fair hours: running counts, burden, a rotation.

The reads behind the schedule preview and "find a time"; the rules are
`meetings.fair_hours` (out of hours, the running count) and `meetings.rotation`
(a series' burden, the rotation that shares it).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.conf import settings

from accounts.models import User
from meetings.availability import LocalSlot
from meetings.fair_hours import out_of_hours_counts
from meetings.rotation import (
    ROTATING_RECURRENCES,
    Burden,
    rotation_suggest,
    series_burden,
)


@dataclass(frozen=True)
class CarriedSlot:
    """A person's local time for the slot, beside their running out-of-hours count."""

    slot: LocalSlot
    carried: int


@dataclass(frozen=True)
class FairHoursPreview:
    """Each person's running count and, for a weekly series, its burden and a rotation.

    `burden` is the series as entered (its first time and any alternates); `suggested`
    the fairest rotation of the series' day, with its burden, only when it lowers the
    most anyone carries (a smaller total alone is not worth a rotation).
    """

    people: list[CarriedSlot]
    days: int
    weeks: int
    starts_on: dt.date | None = None  # the first meeting's date, the organiser's
    burden: Burden | None = None
    suggested: list[dt.time] | None = None
    suggested_burden: Burden | None = None

    @property
    def suggested_alternates(self) -> str:
        """The suggestion's other times, as the form's "alternate with" field takes them."""
        return ", ".join(t.strftime("%H:%M") for t in (self.suggested or [])[1:])


def fair_hours_preview(
    *,
    organiser: User,
    local_slots: Sequence[LocalSlot],
    starts_at: dt.datetime,
    duration_minutes: int,
    recurrence: str = "",
    alternate_times: Sequence[dt.time] = (),
) -> FairHoursPreview:
    """The fair-hours part of the schedule preview: one query, whatever the team size."""
    people = [slot.person for slot in local_slots]
    counts = out_of_hours_counts(people=people)
    carried = [
        CarriedSlot(slot=slot, carried=counts[slot.person.pk]) for slot in local_slots
    ]
    weeks, days = settings.FAIR_HOURS_WEEKS, settings.FAIR_HOURS_LOOKBACK_DAYS
    if recurrence not in ROTATING_RECURRENCES or not people:
        return FairHoursPreview(people=carried, days=days, weeks=weeks)
    local_start = starts_at.astimezone(organiser.zone)
    series = {
        "participants": people,
        "zone": organiser.timezone,
        "starts_on": local_start.date(),
        "duration_minutes": duration_minutes,
        "recurrence": recurrence,
        "weeks": weeks,
    }
    times = [local_start.time().replace(second=0, microsecond=0), *alternate_times]
    burden = series_burden(times=times, **series)
    preview = FairHoursPreview(
        people=carried,
        days=days,
        weeks=weeks,
        starts_on=local_start.date(),
        burden=burden,
    )
    suggested = rotation_suggest(**series)
    if not suggested:
        return preview
    suggested_burden = series_burden(times=suggested, **series)
    # A rotation is worth the trouble only if the most anyone carries goes down.
    if suggested_burden.max_outside >= burden.max_outside:
        return preview
    return replace(preview, suggested=suggested, suggested_burden=suggested_burden)
