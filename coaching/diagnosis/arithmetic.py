"""The funnel's arithmetic on exact fractions: rates, the team's spread, the constraint
and the back-solve. Pure functions (no database), so tests can pin known answers.

The funnel multiplies out to revenue: work days × calls a work day × connected per call
× appointments per connected call × won deals per appointment × average deal size. With
the rep's own rates the product is exactly their revenue in the window, unless a stage
counted more than its events (a conversion reads 100 % at most).
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from coaching.models import FunnelStage

STAGES: tuple[str, ...] = tuple(FunnelStage.values)


@dataclass(frozen=True)
class FunnelCounts:
    """One rep's totals over one window.

    A stage's events (what its rate is counted over) are work days, calls, connected
    calls, appointments and won deals.
    """

    work_days: int = 0
    calls: int = 0
    connected: int = 0
    appointments: int = 0
    deals: int = 0
    revenue: Decimal = Decimal(0)

    def events(self, stage: str) -> int:
        """How many events the stage's rate is judged on (its denominator)."""
        return getattr(self, _EVENTS[stage])

    def rate(self, stage: str) -> Fraction | None:
        """The stage's rate, exactly; None with no events to count it over."""
        return self.rates[stage]

    @cached_property
    def rates(self) -> dict[str, Fraction | None]:
        """Every stage's rate (worked out once: a team's are read many times)."""
        return {stage: self._rate(stage) for stage in STAGES}

    def _rate(self, stage: str) -> Fraction | None:
        denominator = getattr(self, _EVENTS[stage])
        if not denominator:
            return None
        if stage == FunnelStage.DEAL_SIZE:  # in cents: whole numbers are fast
            return Fraction(int(self.revenue * 100), denominator * 100)
        rate = Fraction(getattr(self, _COUNTED[stage]), denominator)
        # A conversion is a share: deals logged without an appointment (or appointments
        # booked without a connected call) would otherwise read "191 %".
        return min(rate, 1) if stage in _CONVERSIONS else rate


# Per stage: what it counts over (its events) and what it counts.
_EVENTS = {
    FunnelStage.VOLUME: "work_days",
    FunnelStage.CONNECT: "calls",
    FunnelStage.APPOINTMENT: "connected",
    FunnelStage.CLOSE: "appointments",
    FunnelStage.DEAL_SIZE: "deals",
}
_CONVERSIONS = frozenset(
    (FunnelStage.CONNECT, FunnelStage.APPOINTMENT, FunnelStage.CLOSE)
)
_COUNTED = {
    FunnelStage.VOLUME: "calls",
    FunnelStage.CONNECT: "connected",
    FunnelStage.APPOINTMENT: "appointments",
    FunnelStage.CLOSE: "deals",
}


def in_order(values: list[Fraction]) -> list[Fraction]:
    """Sorted, exactly: by the nearest float first (cheap), by the fraction itself only
    where two floats tie."""
    return sorted(values, key=lambda value: (float(value), value))


def upper_quartile(ordered: list[Fraction]) -> Fraction | None:
    """The 75th percentile of sorted values (linear between the nearest ranks); None of
    no values."""
    if not ordered:
        return None
    position = Fraction(3, 4) * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(ordered: list[Fraction]) -> Fraction | None:
    """The median of sorted values (the mean of the middle two of an even number)."""
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def funnel_revenue(*, work_days: int, rates: dict[str, Fraction]) -> Fraction:
    """The revenue the funnel gives at these rates over these work days."""
    product = Fraction(work_days)
    for stage in STAGES:
        product *= rates[stage]
    return product


def stage_gains(
    *, work_days: int, rates: dict[str, Fraction], team: dict[str, Fraction | None]
) -> dict[str, Fraction]:
    """Per stage: the revenue gained at the team's rate, everything else unchanged
    (negative where the rep beats the team; 0 without a team rate)."""
    base = funnel_revenue(work_days=work_days, rates=rates)
    gains = {}
    for stage in STAGES:
        if team[stage] is None:
            gains[stage] = Fraction(0)
        elif rates[stage]:  # the product with one factor swapped
            gains[stage] = base * (team[stage] / rates[stage] - 1)
        else:
            changed = rates | {stage: team[stage]}
            gains[stage] = funnel_revenue(work_days=work_days, rates=changed) - base
    return gains


def constraint_stage(gains: dict[str, Fraction]) -> str | None:
    """The stage with the largest gain (the earliest in the funnel on a tie); None when
    no stage gains anything."""
    best = max(STAGES, key=lambda stage: (gains[stage], -STAGES.index(stage)))
    return best if gains[best] > 0 else None


@dataclass(frozen=True)
class Solution:
    """Exact activity that reaches a quota at given rates (fractions, not rounded)."""

    deals: Fraction
    appointments: Fraction
    connected: Fraction
    calls: Fraction
    calls_per_work_day: Fraction | None  # None without work days


def back_solve(
    *,
    quota: Decimal,
    quota_in_deals: bool,
    rates: dict[str, Fraction],
    work_days: int,
) -> Solution | None:
    """Work back from the quota through the funnel: won deals needed (the quota over
    the average deal size, or the quota itself when it counts deals), appointments,
    connected calls, calls, and calls a work day.

    None when a rate on the way is zero: no amount of activity reaches the quota.
    """
    needed = Fraction(quota)
    steps = [FunnelStage.CLOSE, FunnelStage.APPOINTMENT, FunnelStage.CONNECT]
    if not quota_in_deals:
        steps.insert(0, FunnelStage.DEAL_SIZE)
    if any(not rates[stage] for stage in steps):
        return None
    deals = needed if quota_in_deals else needed / rates[FunnelStage.DEAL_SIZE]
    appointments = deals / rates[FunnelStage.CLOSE]
    connected = appointments / rates[FunnelStage.APPOINTMENT]
    calls = connected / rates[FunnelStage.CONNECT]
    return Solution(
        deals=deals,
        appointments=appointments,
        connected=connected,
        calls=calls,
        calls_per_work_day=calls / work_days if work_days else None,
    )


def whole(value: Fraction | None) -> int | None:
    """Rounded up to a whole activity."""
    return None if value is None else math.ceil(value)
