"""Quota at risk: the running month projected at its pace so far."""

import datetime as dt
from decimal import Decimal

from django.conf import settings

from accounts.models import User
from activities.models import Metric
from activities.periods import MONTH, work_days_between
from targets.attainment import RepAttainment, percent_of_target
from targets.models import Flag, FlagKind
from targets.review.flags import new_flag


def at_risk_flag(
    *,
    rep: User,
    month_to_yesterday: RepAttainment,
    quota_metric: Metric,
    this_month: tuple[dt.date, dt.date],
    today: dt.date,
) -> Flag | None:
    """Project the month at its current pace; under the threshold raises the alarm early.

    `month_to_yesterday` is the attainment from the first of the month to yesterday, in
    the rep's calendar; the projection scales it by work days.
    """
    item = month_to_yesterday.for_metric(quota_metric.slug)
    if item is None or item.target is None:
        return None
    work_days = frozenset(rep.work_days or [])
    elapsed = work_days_between(
        start=this_month[0], end=today - dt.timedelta(days=1), work_days=work_days
    )
    total_days = work_days_between(
        start=this_month[0], end=this_month[1], work_days=work_days
    )
    if not elapsed or not total_days:
        return None
    # The target so far covers the elapsed days only; scale it to the whole month.
    month_target = item.target * total_days / elapsed
    projected = item.actual * total_days / elapsed
    percent = percent_of_target(projected, month_target)
    if percent is None or percent >= settings.REVIEW_AT_RISK_PERCENT:
        return None
    return new_flag(
        rep=rep,
        kind=FlagKind.AT_RISK,
        metric=quota_metric,
        period=MONTH,
        bounds=this_month,
        target=month_target.quantize(Decimal("0.01")),
        actual=item.actual,
        percent=percent,
    )
