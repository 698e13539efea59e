"""Quota at risk: the running month's forecast says even a good finish falls short.

The projection is `targets.forecast` (the rep's banked actual, rate and spread); the
month is at risk when the upper end of its range is below quota. It is judged from the
month's first full ISO week in the rep's calendar (the Monday that starts a week lying
wholly in the month), so a month is never judged on its ragged first days alone.
"""

import datetime as dt

from accounts.models import User
from activities.models import Metric
from activities.periods import MONTH
from targets.attainment import percent_of_target
from targets.forecast import MonthForecast
from targets.models import Flag, FlagKind
from targets.review.flags import new_flag


def at_risk_judged_from(month_start: dt.date) -> dt.date:
    """The first day on which a month's quota can be judged at risk: the Monday of its
    first full ISO week (the 1st itself when the month starts on a Monday)."""
    return month_start + dt.timedelta(days=-month_start.weekday() % 7)


def at_risk_flag(
    *,
    rep: User,
    forecast: MonthForecast | None,
    quota_metric: Metric,
    today: dt.date,
) -> Flag | None:
    """The month's at-risk flag (unsaved), or None: not judged yet, or not at risk.

    `forecast` is the rep's forecast of their running month, `today` their local date.
    The flag holds the quota, the actual banked so far and the expected close as a
    percent of quota.
    """
    if forecast is None or today < at_risk_judged_from(forecast.month[0]):
        return None
    if not forecast.at_risk:
        return None
    return new_flag(
        rep=rep,
        kind=FlagKind.AT_RISK,
        metric=quota_metric,
        period=MONTH,
        bounds=forecast.month,
        target=forecast.quota,
        actual=forecast.actual,
        percent=percent_of_target(forecast.expected, forecast.quota),
    )
