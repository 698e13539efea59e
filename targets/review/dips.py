"""Activity dips: an activity metric below its daily target on each of the last K work
days."""

import datetime as dt
from decimal import Decimal

from accounts.models import TRUSTED_LEVELS, User
from activities.metric_cache import metrics_in_order
from activities.models import Metric
from activities.periods import DAY, MONTH, period_bounds
from targets.attainment import (
    MET,
    ON_PACE,
    MetricAttainment,
    RepAttainment,
    attainment_for_ranges,
    percent_of_target,
)
from targets.models import Flag, FlagKind
from targets.quota import quota_attainment
from targets.review.flags import new_flag
from targets.review.pace import at_risk_judged_from


def earned_quiet(
    *, rep: User, quota_this_month: MetricAttainment | None, today: dt.date
) -> bool:
    """Whether the rep has earned quiet: trusted, and on pace (or met) for this month's
    quota (`targets.quota.quota_attainment` of the running month), `today` being their
    local date.

    While it holds, their activity levels are their own business: no dip is raised,
    notified or shown on a manager's panel. A month without a quota target earns none.
    Before the Monday of the month's first full week (when the at-risk flag starts
    judging too, `targets.review.pace.at_risk_judged_from`) the month is not judged: a
    day without a deal is not a month off pace, and the rep's level says the months
    before were on quota.
    """
    if rep.autonomy_level not in TRUSTED_LEVELS or quota_this_month is None:
        return False
    if today < at_risk_judged_from(today.replace(day=1)):
        return True
    return quota_this_month.status in (MET, ON_PACE)


def dips_watched(
    *, rep: User, quota_this_month: MetricAttainment | None, today: dt.date
) -> bool:
    """Whether the rep's activity is checked for dips: unless they earned quiet."""
    return not earned_quiet(rep=rep, quota_this_month=quota_this_month, today=today)


# The label of each rep's running month in an attainment read (`quiet_month_ranges`).
QUIET_MONTH = "quiet_month"


def quiet_month_ranges(
    reps: list[User], now: dt.datetime
) -> dict[tuple[int, str], tuple[dt.date, dt.date]]:
    """Each rep's running month, for a caller to add to an attainment read it makes
    anyway (the same queries), then ask `quiet_rep_ids`."""
    return {
        (rep.pk, QUIET_MONTH): period_bounds(period=MONTH, on=rep.local_date(now))
        for rep in reps
    }


def quiet_rep_ids(
    reps: list[User],
    attainment: dict[tuple[int, str], RepAttainment],
    now: dt.datetime,
) -> set[int]:
    """The reps who earned quiet, from an attainment read with `quiet_month_ranges`
    (load each rep's team: it names the quota metric)."""
    return {
        rep.pk
        for rep in reps
        if earned_quiet(
            rep=rep,
            quota_this_month=quota_attainment(attainment[rep.pk, QUIET_MONTH]),
            today=rep.local_date(now),
        )
    }


def quiet_rep_ids_read(reps: list[User], now: dt.datetime) -> set[int]:
    """The reps who earned quiet, read for them: no query unless one is trusted."""
    trusted = [rep for rep in reps if rep.autonomy_level in TRUSTED_LEVELS]
    if not trusted:
        return set()
    attainment = attainment_for_ranges(
        reps=trusted,
        ranges=quiet_month_ranges(trusted, now),
        now=now,
        metrics=metrics_in_order(),
    )
    return quiet_rep_ids(trusted, attainment, now)


def without_quiet_dips(flags: list[Flag], quiet: set[int]) -> list[Flag]:
    """The flags a manager is shown: none about the activity of a rep who earned quiet."""
    return [
        flag
        for flag in flags
        if not (flag.kind == FlagKind.ACTIVITY_DIP and flag.rep_id in quiet)
    ]


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
