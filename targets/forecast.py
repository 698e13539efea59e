"""Where the running month will close: each rep's projection with a range, against quota.

(Interface agreed for issue 15; the body is written in its own change.)
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User


@dataclass(frozen=True)
class MonthForecast:
    """The rep's quota metric for the running month in their calendar."""

    metric_slug: str
    month: tuple[dt.date, dt.date]
    actual: Decimal  # so far, to yesterday
    low: Decimal
    expected: Decimal
    high: Decimal
    quota: Decimal | None  # the month's quota target; None without one

    @property
    def at_risk(self) -> bool:
        """Even the range's upper end falls short of quota."""
        return self.quota is not None and self.high < self.quota


def month_forecasts(
    reps: list[User], *, today: dt.date | None = None
) -> dict[int, MonthForecast]:
    """Rep id -> forecast, in a constant number of queries for any number of reps.

    `today` is each rep's own local date when None.
    """
    raise NotImplementedError
