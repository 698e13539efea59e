"""Activity dips: an activity metric below its daily target on each of the last K work
days."""

import datetime as dt
from decimal import Decimal

from accounts.models import TRUSTED_LEVELS, User
from activities.models import Metric
from activities.periods import DAY
from targets.attainment import MetricAttainment, percent_of_target
from targets.models import Flag, FlagKind
from targets.quota import is_below_quota
from targets.review.flags import new_flag


def dips_watched(*, rep: User, quota_this_month: MetricAttainment | None) -> bool:
    """Whether the rep's activity is checked for dips.

    A trusted rep who is on quota this month is left to manage their own activity.
    """
    on_quota = quota_this_month is not None and not is_below_quota(quota_this_month)
    return not (on_quota and rep.autonomy_level in TRUSTED_LEVELS)


def activity_dips(
    *,
    rep: User,
    by_day: dict[tuple[int, int], list[tuple[Decimal | None, Decimal]]],
    metrics: list[Metric],
    days: list[dt.date],
    open_dips: set[tuple[int, int]],
) -> list[Flag]:
    """Activity metrics below their daily target on each of `days` (unsaved flags).

    `by_day` holds (target, actual) per day for each (rep id, metric id); a metric with
    an open dip flag (`open_dips`) is not flagged again.
    """
    flags = []
    for metric in metrics:
        if (rep.pk, metric.pk) in open_dips:
            continue
        per_day = by_day[rep.pk, metric.pk]
        if all(target and actual < target for target, actual in per_day):
            target = sum(target for target, _actual in per_day)
            actual = sum(actual for _target, actual in per_day)
            flags.append(
                new_flag(
                    rep=rep,
                    kind=FlagKind.ACTIVITY_DIP,
                    metric=metric,
                    period=DAY,
                    bounds=(days[0], days[-1]),
                    target=target,
                    actual=actual,
                    percent=percent_of_target(actual, target),
                )
            )
    return flags
