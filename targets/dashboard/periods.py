"""The periods a dashboard shows, each read in every rep's own local calendar."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from activities.periods import MONTH, WEEK, period_bounds

TODAY, THIS_WEEK, THIS_MONTH, LAST_MONTH, CUSTOM = (
    "today",
    "week",
    "month",
    "last_month",
    "custom",
)
DASHBOARD_PERIODS = [
    (TODAY, _("Today")),
    (THIS_WEEK, _("This week")),
    (THIS_MONTH, _("This month")),
    (LAST_MONTH, _("Last month")),
    (CUSTOM, _("Custom range")),
]
# A custom range is capped so one request reads at most about a year of tallies.
MAX_CUSTOM_DAYS = 400


def period_range(
    *,
    period: str,
    local_today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """First and last local date of a dashboard period, seen from one local today."""
    if period == TODAY:
        return local_today, local_today
    if period == THIS_WEEK:
        return period_bounds(period=WEEK, on=local_today)
    if period == THIS_MONTH:
        return period_bounds(period=MONTH, on=local_today)
    if period == LAST_MONTH:
        return period_bounds(
            period=MONTH, on=local_today.replace(day=1) - dt.timedelta(days=1)
        )
    if period == CUSTOM and start is not None and end is not None:
        return start, end
    raise ValueError(f"Unknown dashboard period {period!r}")
