"""A rep's local calendar: days, ISO weeks (Monday first), months and work days."""

import calendar
import datetime as dt
from functools import lru_cache

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


def work_days_between(
    *, start: dt.date, end: dt.date, work_days: frozenset[int]
) -> int:
    """How many dates from start to end (both inclusive) fall on the given work days.

    `work_days` are ISO weekday numbers (1 is Monday), as in `User.work_days`. Counted
    by whole weeks, so a year costs no more than a day: attainment calls this for every
    target of every rep on a page.
    """
    days = (end - start).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    return weeks * len(work_days) + _work_days_from(start.isoweekday(), rest, work_days)


@lru_cache(maxsize=1024)
def _work_days_from(first: int, count: int, work_days: frozenset[int]) -> int:
    """Work days among `count` (< 7) consecutive dates from ISO weekday `first`: a
    review adds up target shares thousands of times, over a handful of distinct
    (weekday, length, work week) triples."""
    return sum(
        1 for offset in range(count) if (first + offset - 1) % 7 + 1 in work_days
    )


@lru_cache(maxsize=4096)
def work_days_in(*, period: str, on: dt.date, work_days: frozenset[int]) -> int:
    """How many work days the day, ISO week or month holding `on` has."""
    start, end = period_bounds(period=period, on=on)
    return work_days_between(start=start, end=end, work_days=work_days)


# A rep without work days has none to find: the search stops after a month.
WORK_DAY_SEARCH_DAYS = 31


def last_work_days(
    *, before: dt.date, count: int, work_days: frozenset[int]
) -> list[dt.date]:
    """The last `count` work days before `before` (not including it), oldest first.

    Fewer come back when the month before `before` holds fewer.
    """
    days, day = [], before
    while len(days) < count and (before - day).days < WORK_DAY_SEARCH_DAYS:
        day -= dt.timedelta(days=1)
        if day.isoweekday() in work_days:
            days.append(day)
    return sorted(days)
