"""A rep's local calendar: days, ISO weeks (Monday first) and months."""

import calendar
import datetime as dt

from django.utils.translation import gettext_lazy as _

DAY, WEEK, MONTH = "day", "week", "month"
PERIOD_CHOICES = [(DAY, _("Day")), (WEEK, _("Week")), (MONTH, _("Month"))]
PERIODS = (DAY, WEEK, MONTH)


def period_bounds(*, period: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """First and last date (both inclusive) of the day, ISO week or month holding `on`."""
    if period == DAY:
        return on, on
    if period == WEEK:
        start = on - dt.timedelta(days=on.weekday())
        return start, start + dt.timedelta(days=6)
    if period == MONTH:
        last = calendar.monthrange(on.year, on.month)[1]
        return on.replace(day=1), on.replace(day=last)
    raise ValueError(f"Unknown period {period!r}")


def dates_between(start: dt.date, end: dt.date):
    """Every date from start to end, both inclusive."""
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)
