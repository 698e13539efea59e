"""How targets and day tallies spread over a rep's days (the arithmetic under attainment).

A target of any period is spread evenly over the rep's work days: a daily target counts
once per work day, a weekly one is `amount / work days of that week` per work day, a
monthly one likewise per month. Target versions are read as plain rows and tallies as
running totals, so a range of any length costs the same.

A rep on a ramp (`targets.ramps`) has each day's share of every target scaled by the
ramp's percent of that day: the ramp is read in the same query as the target versions,
so every reader of targets (attainment, the dashboard, the review, the forecast, the
diagnosis) sees the ramped amounts, and none scales them again.
"""

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from activities.models import Metric, MetricUnit
from activities.periods import DAY, period_bounds, work_days_between, work_days_in
from activities.tallies import day_values, range_totals
from core.sql import decimal_reader, fetch_rows, table, where_in
from targets.models import RepRamp, Target
from targets.ramps import Ramp, ramp_steps


class TargetTerms(NamedTuple):
    """What attainment needs of a target version (read as plain rows: a chunk of the
    review reads thousands)."""

    period: str
    amount: Decimal
    effective_from: dt.date
    effective_until: dt.date | None
    ramp: Ramp | None = None  # the rep's ramp, the same for each of their versions


def target_share(
    *,
    targets: list[TargetTerms],
    start: dt.date,
    end: dt.date,
    work_days: frozenset[int],
) -> Decimal:
    """The share of these targets that falls on the days from start to end.

    A target counts on the days it is in force, spread evenly over the work days of its
    own day, week or month; so the sum over a range is worked out period by period,
    not day by day. On the days of a ramp a share counts at the ramp's percent: the full
    share, less the part each ramp step holds back on its own days.
    """
    total = Decimal(0)
    for target in targets:
        low = max(start, target.effective_from)
        high = (
            end if target.effective_until is None else min(end, target.effective_until)
        )
        total += _full_share(target, low, high, work_days)
        for piece in target.ramp.pieces if target.ramp else ():
            if piece.start <= high and piece.end >= low:
                total -= (1 - piece.factor) * _full_share(
                    target, max(low, piece.start), min(high, piece.end), work_days
                )
    return total


def _full_share(
    target: TargetTerms, low: dt.date, high: dt.date, work_days: frozenset[int]
) -> Decimal:
    if low == high:  # one day: the review reads each rep's last work days one by one
        if low.isoweekday() not in work_days:
            return Decimal(0)
        if target.period == DAY:
            return target.amount
        return target.amount / work_days_in(
            period=target.period, on=low, work_days=work_days
        )
    if target.period == DAY:
        return target.amount * work_days_between(
            start=low, end=high, work_days=work_days
        )
    total = Decimal(0)
    while low <= high:
        period_end = period_bounds(period=target.period, on=low)[1]
        stop = min(high, period_end)
        days = work_days_between(start=low, end=stop, work_days=work_days)
        if days:
            in_period = work_days_in(period=target.period, on=low, work_days=work_days)
            total += target.amount * days / in_period
        low = stop + dt.timedelta(days=1)
    return total


def rounded_target(value: Decimal, unit: str) -> Decimal:
    """A target share as shown: cents for money, whole units (at least 1) otherwise."""
    if unit == MetricUnit.MONEY:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Decimal(1) if whole == 0 and value > 0 else whole


class DayTotals:
    """One rep's day tallies of one metric as running totals: any range is two bisects."""

    def __init__(self, by_day: dict[dt.date, Decimal]):
        self._days = sorted(by_day)
        self._running = [Decimal(0)]
        for day in self._days:
            self._running.append(self._running[-1] + by_day[day])

    def between(self, start: dt.date, end: dt.date) -> Decimal:
        if not self._days:
            return Decimal(0)
        low = bisect_left(self._days, start)
        high = bisect_right(self._days, end)
        return self._running[high] - self._running[low] if high > low else Decimal(0)


NO_ACTUALS = DayTotals({})


def _target_terms(
    *, rep_ids: list[int], metric_ids: list[int], first: dt.date, last: dt.date
) -> dict[tuple[int, int], list[TargetTerms]]:
    """The target versions of these reps and metrics in force at some point between two
    local dates, keyed by (rep id, metric id), oldest first, each with the rep's ramp:
    one query, written as SQL because every dashboard request makes it (core/sql.py)."""
    reps_in, rep_params = where_in("target.rep_id", rep_ids)
    metrics_in, metric_params = where_in("target.metric_id", metric_ids)
    rows = fetch_rows(
        "SELECT target.rep_id, target.metric_id, target.period, target.amount,"
        " target.effective_from, target.effective_until,"
        " ramp.starts_on, ramp.steps, ramp.ended_on"
        f" FROM {table(Target)} target"
        f" LEFT JOIN {table(RepRamp)} ramp ON ramp.rep_id = target.rep_id"
        f" WHERE {reps_in} AND {metrics_in}"
        " AND target.effective_from <= %s"
        " AND (target.effective_until IS NULL OR target.effective_until >= %s)"
        " ORDER BY target.rep_id, target.metric_id, target.effective_from",
        [*rep_params, *metric_params, last, first],
    )
    amount_of = decimal_reader(Target, "amount")
    terms: dict[tuple[int, int], list[TargetTerms]] = defaultdict(list)
    ramps: dict[int, Ramp] = {}
    for row in rows:
        rep_id, metric_id, period, amount, effective_from, effective_until = row[:6]
        starts_on, steps, ended_on = row[6:]
        if starts_on is not None and rep_id not in ramps:
            ramps[rep_id] = Ramp(starts_on, ramp_steps(steps), ended_on)
        terms[rep_id, metric_id].append(
            TargetTerms(
                period,
                amount_of(amount),
                effective_from,
                effective_until,
                ramps.get(rep_id),
            )
        )
    return terms


def targets_between(
    *, rep_ids: list[int], metrics: list[Metric], first: dt.date, last: dt.date
) -> dict[tuple[int, int], list[TargetTerms]]:
    """The target versions of these reps and metrics in force between two local dates,
    keyed by (rep id, metric id), without their tallies: one query."""
    if not rep_ids or not metrics:
        return {}
    return _target_terms(
        rep_ids=rep_ids,
        metric_ids=[metric.pk for metric in metrics],
        first=first,
        last=last,
    )


def targets_and_actuals(
    *, rep_ids: list[int], metrics: list[Metric], first: dt.date, last: dt.date
) -> tuple[dict[tuple[int, int], list[TargetTerms]], dict[tuple[int, int], DayTotals]]:
    """The target versions and day tallies of these reps and metrics between two local
    dates, keyed by (rep id, metric id): two queries."""
    if not rep_ids or not metrics:
        return {}, {}
    targets = targets_between(rep_ids=rep_ids, metrics=metrics, first=first, last=last)
    tallies: dict[tuple[int, int], dict[dt.date, Decimal]] = defaultdict(dict)
    for rep_id, metric_id, local_date, value in day_values(
        rep_ids=rep_ids, metrics=metrics, first=first, last=last
    ):
        tallies[rep_id, metric_id][local_date] = value
    return targets, {key: DayTotals(by_day) for key, by_day in tallies.items()}


def targets_and_range_totals(
    *,
    rep_ids: list[int],
    metrics: list[Metric],
    ranges: list[tuple[dt.date, dt.date]],
) -> tuple[
    dict[tuple[int, int], list[TargetTerms]],
    dict[tuple[int, int, tuple[dt.date, dt.date]], Decimal],
]:
    """The target versions of these reps and metrics over a few ranges, and their day
    tallies summed per range (`activities.tallies.range_totals`): two queries."""
    if not rep_ids or not metrics or not ranges:
        return {}, {}
    targets = _target_terms(
        rep_ids=rep_ids,
        metric_ids=[metric.pk for metric in metrics],
        first=min(start for start, _end in ranges),
        last=max(end for _start, end in ranges),
    )
    return targets, range_totals(rep_ids=rep_ids, metrics=metrics, ranges=ranges)
