"""Ramp curves: a new rep's targets as a share of the full ones, week by week.

A ramp is a list of steps ("50 % for 4 weeks, then 75 % for 4 weeks") counted in the
rep's own calendar from the ramp's first day: ramp week k holds the local dates
`starts_on + 7(k-1)` to `starts_on + 7k - 1`. From the day after the last step (or the
day a manager ended the ramp early) the full targets apply. This module is arithmetic
only; `targets.target_shares.target_share` applies it to every target share.
"""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_RAMP_WEEKS = 52


@dataclass(frozen=True)
class RampStep:
    weeks: int
    percent: int


@dataclass(frozen=True)
class RampPiece:
    """Consecutive local days on which the targets count at `factor` of their amount."""

    start: dt.date
    end: dt.date
    factor: Decimal


@dataclass(frozen=True)
class RampStatus:
    """Where a rep stands on their ramp on a local date: "ramp week 3 of 8"."""

    week: int
    weeks: int
    percent: int  # of the full targets, in force that day
    full_from: dt.date
    steps: tuple[RampStep, ...]

    @property
    def steps_text(self) -> str:
        """The steps in a line, as the ramp form reads them: "4x50, 4x75"."""
        return ", ".join(f"{step.weeks}x{step.percent}" for step in self.steps)


@dataclass(frozen=True)
class Ramp:
    starts_on: dt.date
    steps: tuple[RampStep, ...]
    ended_on: dt.date | None = None  # full targets from this day (ended early)

    @property
    def weeks(self) -> int:
        return sum(step.weeks for step in self.steps)

    @cached_property
    def full_from(self) -> dt.date:
        """The first local day of the full targets."""
        planned = self.starts_on + dt.timedelta(weeks=self.weeks)
        return min(planned, self.ended_on) if self.ended_on else planned

    @cached_property
    def pieces(self) -> tuple[RampPiece, ...]:
        pieces, start = [], self.starts_on
        for step in self.steps:
            end = min(start + dt.timedelta(weeks=step.weeks), self.full_from)
            if end > start:
                pieces.append(
                    RampPiece(
                        start, end - dt.timedelta(days=1), step.percent / Decimal(100)
                    )
                )
            start = end
        return tuple(pieces)

    def week_on(self, day: dt.date) -> int | None:
        """The ramp week holding a local date (1 on the first day), None outside."""
        if not self.starts_on <= day < self.full_from:
            return None
        return (day - self.starts_on).days // 7 + 1

    def status_on(self, day: dt.date) -> RampStatus | None:
        """The rep's ramp week on a local date, None before or after the ramp."""
        week = self.week_on(day)
        if week is None:
            return None
        return RampStatus(
            week, self.weeks, self.percent_on(day), self.full_from, self.steps
        )

    def percent_on(self, day: dt.date) -> int:
        """The percent of the full targets in force on a local date."""
        for piece in self.pieces:
            if piece.start <= day <= piece.end:
                return int(piece.factor * 100)
        return 100

    def week_bounds(self, week: int) -> tuple[dt.date, dt.date]:
        start = self.starts_on + dt.timedelta(weeks=week - 1)
        return start, start + dt.timedelta(days=6)

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether any day from start to end is a ramp day."""
        return start < self.full_from and end >= self.starts_on


def ramp_steps(raw) -> tuple[RampStep, ...]:
    """Stored steps (a JSON list of {"weeks", "percent"}, or its text) as steps."""
    if isinstance(raw, str):
        raw = json.loads(raw)
    return tuple(
        RampStep(int(step["weeks"]), int(step["percent"])) for step in raw or []
    )


def ramp_steps_check(raw) -> list[dict]:
    """Steps as stored, or a ValidationError a person can act on.

    Each step lasts at least one week and counts at 1–99 % of the full targets (100 %
    is the end of the ramp); the percents rise step by step; the whole ramp lasts at
    most `MAX_RAMP_WEEKS` weeks. No steps: no ramp.
    """
    if raw in (None, ""):
        return []
    try:
        steps = ramp_steps(raw)
    except (TypeError, ValueError, KeyError, AttributeError):
        raise ValidationError(
            _("Write the ramp as steps of weeks and a percent.")
        ) from None
    previous = 0
    for step in steps:
        if step.weeks < 1:
            raise ValidationError(_("Each ramp step lasts at least one week."))
        if not 1 <= step.percent <= 99:
            raise ValidationError(
                _("Each ramp step counts at 1 to 99 percent of the full targets.")
            )
        if step.percent <= previous:
            raise ValidationError(_("Each ramp step asks more than the one before."))
        previous = step.percent
    if sum(step.weeks for step in steps) > MAX_RAMP_WEEKS:
        raise ValidationError(
            _("A ramp lasts at most %(weeks)d weeks.") % {"weeks": MAX_RAMP_WEEKS}
        )
    return [{"weeks": step.weeks, "percent": step.percent} for step in steps]


def ramp_steps_parse(text: str) -> list[dict]:
    """A line of "weeks x percent" steps ("4x50, 4x75") as stored steps, checked."""
    steps = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        weeks, sep, percent = part.lower().replace("%", "").partition("x")
        try:
            if not sep:
                raise ValueError
            steps.append({"weeks": int(weeks), "percent": int(percent)})
        except ValueError:
            raise ValidationError(
                _("Write each step as weeks x percent, for example 4x50, 4x75.")
            ) from None
    return ramp_steps_check(steps)
