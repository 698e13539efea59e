"""The closed month: below quota raises a flag, months in a row on quota earn praise."""

import datetime as dt

from django.conf import settings
from django.utils.translation import ngettext

from accounts.models import User
from activities.models import Metric
from activities.periods import MONTH
from targets.attainment import MetricAttainment
from targets.models import Flag, FlagKind, Kudos, MonthResult
from targets.quota import is_below_quota
from targets.ramps import Ramp
from targets.review.flags import new_flag


def closed_month_verdict(
    *,
    rep: User,
    metric: Metric,
    quota: MetricAttainment | None,
    bounds: tuple[dt.date, dt.date],
    earlier_months: dict[dt.date, bool],
    ramp: Ramp | None = None,
) -> tuple[MonthResult, Flag | None, Kudos | None] | None:
    """The month's result, and its below-quota flag or streak praise (unsaved).

    `quota` is the rep's quota line of the closed month; `earlier_months` maps each
    earlier month's first day to whether quota was met. None: the month had no quota.
    A month with ramp days in it raises no below-quota flag (`review.ramp` coaches a
    rep behind on their ramp instead); its result is kept all the same.
    """
    if quota is None or quota.target is None:
        return None
    below = is_below_quota(quota)
    result = MonthResult(
        rep=rep,
        month_start=bounds[0],
        metric=metric,
        target=quota.target,
        actual=quota.actual,
        met=not below,
    )
    if below and ramp is not None and ramp.overlaps(*bounds):
        return result, None, None
    if below:
        flag = new_flag(
            rep=rep,
            kind=FlagKind.BELOW_QUOTA,
            metric=metric,
            period=MONTH,
            bounds=bounds,
            target=quota.target,
            actual=quota.actual,
            percent=quota.percent,
        )
        return result, flag, None
    streak = 1 + months_in_a_row(earlier_months, bounds[0])
    if streak >= settings.REVIEW_PRAISE_MONTHS:
        return result, None, system_kudos(rep=rep, month_start=bounds[0], streak=streak)
    return result, None, None


def months_in_a_row(results: dict[dt.date, bool], before: dt.date) -> int:
    """How many months straight before `before` the rep met quota."""
    count, month = 0, before
    while True:
        month = (month - dt.timedelta(days=1)).replace(day=1)
        if not results.get(month):
            return count
        count += 1


def system_kudos(*, rep: User, month_start: dt.date, streak: int) -> Kudos:
    """The review's praise for `streak` months in a row on quota (unsaved)."""
    message = ngettext(
        "%(count)d month in a row on quota",
        "%(count)d months in a row above quota",
        streak,
    ) % {"count": streak}
    return Kudos(
        rep=rep,
        message=message,
        is_system=True,
        period_start=month_start,
        streak=streak,
    )
