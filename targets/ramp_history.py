"""A rep's ramp history as the pages show it: each change on the day it took effect in
the rep's calendar, a change with the steps before and after, and its reason.

Read on a rep's results page and their one-on-one history, also after the ramp ended.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import ngettext

from accounts.models import User
from targets.models import RampChange, RampChangeKind
from targets.ramps import ramp_steps

RAMP_CHANGES = 5


@dataclass(frozen=True)
class RampHistoryEntry:
    change: RampChange
    day: dt.date  # the rep's local day the change took effect
    steps_before: str  # only for a changed ramp
    steps_after: str


def ramp_steps_label(raw) -> str:
    """Stored steps as a person reads them: "50 % for 4 weeks, 75 % for 4 weeks"."""
    return ", ".join(
        ngettext(
            "%(percent)d %% for %(weeks)d week",
            "%(percent)d %% for %(weeks)d weeks",
            step.weeks,
        )
        % {"percent": step.percent, "weeks": step.weeks}
        for step in ramp_steps(raw)
    )


def ramp_changes_query(rep: User):
    """The rep's latest ramp changes, newest first, one more than shown: the one
    before the oldest shown gives that one's steps before (one query)."""
    return RampChange.objects.filter(rep=rep).select_related("by", "template")[
        : RAMP_CHANGES + 1
    ]


def ramp_history(
    *, rep: User, changes: list[RampChange], starts_on: dt.date | None
) -> list[RampHistoryEntry]:
    """`changes` from `ramp_changes_query` as entries; `starts_on` is the ramp's
    first day (the day "Ramp started" shows)."""
    entries = []
    for position, change in enumerate(changes[:RAMP_CHANGES]):
        if change.kind == RampChangeKind.STARTED and starts_on is not None:
            day = starts_on
        elif change.kind == RampChangeKind.ENDED and change.ended_on is not None:
            day = change.ended_on
        else:
            day = rep.local_date(change.changed_at)
        before = changes[position + 1] if position + 1 < len(changes) else None
        entries.append(
            RampHistoryEntry(
                change=change,
                day=day,
                steps_before=ramp_steps_label(before.steps)
                if before is not None and change.kind == RampChangeKind.CHANGED
                else "",
                steps_after=ramp_steps_label(change.steps),
            )
        )
    return entries


def ramp_history_for(*, rep: User) -> list[RampHistoryEntry]:
    """The rep's ramp history, for a rep whose `ramp` (RepRamp) is already read or
    known to be missing (select_related): no query for a rep who never had a ramp."""
    ramp = getattr(rep, "ramp", None)
    if ramp is None:
        return []
    return ramp_history(
        rep=rep, changes=list(ramp_changes_query(rep)), starts_on=ramp.starts_on
    )
