"""The windows a diagnosis reads, in the rep's own calendar (local dates)."""

import datetime as dt
from dataclasses import dataclass

from activities.periods import MONTH, period_bounds


@dataclass(frozen=True)
class Window:
    """The days judged (`first`..`last`), the previous window, and the next period.

    A rolling window is the last N days to yesterday, the N days before it the previous
    one; a closed month has the N days before the month as its previous window. The next
    period (whose quota the back-solve aims at) is the month after the window's last day.
    """

    first: dt.date
    last: dt.date
    previous_first: dt.date
    previous_last: dt.date
    is_month: bool = False

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def next_period(self) -> tuple[dt.date, dt.date]:
        return period_bounds(period=MONTH, on=self.last + dt.timedelta(days=1))


def days_window(*, on: dt.date, days: int) -> Window:
    """The `days` days before `on` (to the day before it), and the `days` before those."""
    last = on - dt.timedelta(days=1)
    first = last - dt.timedelta(days=days - 1)
    return Window(
        first=first,
        last=last,
        previous_first=first - dt.timedelta(days=days),
        previous_last=first - dt.timedelta(days=1),
    )


def month_window(*, month: dt.date, days: int) -> Window:
    """The month holding `month`, and the `days` days before it as the previous window."""
    first, last = period_bounds(period=MONTH, on=month)
    return Window(
        first=first,
        last=last,
        previous_first=first - dt.timedelta(days=days),
        previous_last=first - dt.timedelta(days=1),
        is_month=True,
    )
