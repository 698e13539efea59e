"""Attainment sums ranges period by period; this checks it against the plain definition.

The definition: every day of a range, each target in force that day contributes its
amount divided by the work days of its own day, week or month; actuals are the day
tallies of the range. A seeded random mix of targets that change mid-period, of work
weeks and of ranges (single days, weeks, months, ranges across a target change) must
give exactly the same target, actual, percent and status as that definition.
"""

import datetime as dt
import random
from decimal import ROUND_FLOOR, Decimal

import pytest

from activities.models import DayTally
from activities.periods import dates_between, period_bounds
from targets import attainment
from targets.models import Target
from targets.target_shares import rounded_target
from tests import factories

pytestmark = pytest.mark.django_db

FIRST = dt.date(2026, 8, 1)
LAST = dt.date(2026, 12, 31)
NOW = dt.datetime(2026, 10, 14, 13, 0, tzinfo=dt.UTC)


def defined_target(rep, targets, start, end):
    work_days = set(rep.work_days)
    total = Decimal(0)
    for day in dates_between(start, end):
        if day.isoweekday() not in work_days:
            continue
        for target in targets:
            if target.effective_from <= day and (
                target.effective_until is None or day <= target.effective_until
            ):
                bounds = period_bounds(period=target.period, on=day)
                in_period = [
                    d for d in dates_between(*bounds) if d.isoweekday() in work_days
                ]
                total += target.amount / len(in_period)
    return total


def random_targets(rng, rep, metric):
    """One to three versions of a target for the metric, changing on random days."""
    changes = sorted(rng.sample(range(10, 140), rng.randint(0, 2)))
    starts = [FIRST, *(FIRST + dt.timedelta(days=day) for day in changes)]
    versions = []
    for index, effective_from in enumerate(starts):
        until = (
            starts[index + 1] - dt.timedelta(days=1)
            if index + 1 < len(starts)
            else None
        )
        versions.append(
            Target(
                rep=rep,
                metric=metric,
                period=rng.choice(["day", "week", "month"]),
                amount=Decimal(rng.choice([3, 7, 25, 120, 20000])),
                effective_from=effective_from,
                effective_until=until,
            )
        )
    return versions


@pytest.mark.parametrize("seed", range(4))
def test_range_sums_equal_the_day_by_day_definition(seed):
    rng = random.Random(seed)
    calls, revenue = factories.metric("calls"), factories.metric("revenue")
    work_days = sorted(rng.sample(range(1, 8), rng.randint(3, 6)))
    rep = factories.RepFactory(timezone="Pacific/Auckland", work_days=work_days)
    targets = {m.slug: random_targets(rng, rep, m) for m in (calls, revenue)}
    Target.objects.bulk_create(targets["calls"] + targets["revenue"])
    tallies = []
    for day in dates_between(FIRST, LAST):
        if rng.random() < 0.6:
            tallies.append(
                DayTally(
                    rep=rep, metric=calls, local_date=day, quantity=rng.randint(0, 40)
                )
            )
        if rng.random() < 0.2:
            amount = Decimal(rng.randint(100, 900000)) / 100
            tallies.append(
                DayTally(
                    rep=rep, metric=revenue, local_date=day, quantity=1, amount=amount
                )
            )
    DayTally.objects.bulk_create(tallies)
    ranges = {}
    for index in range(60):
        start = FIRST + dt.timedelta(days=rng.randint(0, 140))
        ranges[rep.pk, f"r{index}"] = (
            start,
            start + dt.timedelta(days=rng.randint(0, 31)),
        )
    for period in ("day", "week", "month"):
        ranges[rep.pk, period] = period_bounds(period=period, on=rep.local_date(NOW))

    result = attainment.attainment_for_ranges(reps=[rep], ranges=ranges, now=NOW)

    today = rep.local_date(NOW)
    for (rep_id, label), (start, end) in ranges.items():
        for metric, kind in ((calls, "quantity"), (revenue, "amount")):
            item = result[rep_id, label].for_metric(metric.slug)
            rows = [
                t
                for t in tallies
                if t.metric == metric and start <= t.local_date <= end
            ]
            actual = sum((Decimal(getattr(t, kind)) for t in rows), Decimal(0))
            total = rounded_target(
                defined_target(rep, targets[metric.slug], start, end), metric.unit
            )
            assert item.actual == actual, (label, metric.slug)
            if not total:
                assert item.target is None and item.status == attainment.NO_TARGET
                continue
            assert item.target == total, (label, metric.slug, start, end)
            percent = int((actual * 100 / total).to_integral_value(ROUND_FLOOR))
            assert item.percent == percent
            if actual >= total:
                assert item.status == attainment.MET
            elif today > end:
                assert item.status == attainment.BEHIND
            else:
                # Pace: the work days elapsed (today once its work hours are over).
                over = rep.local_now(NOW).time() >= rep.work_end
                last_elapsed = today if over else today - dt.timedelta(days=1)
                expected = defined_target(
                    rep, targets[metric.slug], start, last_elapsed
                )
                status = attainment.ON_PACE if actual >= expected else attainment.BEHIND
                assert item.status == status, (label, metric.slug)


@pytest.mark.parametrize("seed", range(2))
def test_daily_targets_and_actuals_say_what_attainment_says_of_single_days(seed):
    rng = random.Random(seed)
    calls = factories.metric("calls")
    rep = factories.RepFactory(work_days=sorted(rng.sample(range(1, 8), 4)))
    Target.objects.bulk_create(random_targets(rng, rep, calls))
    DayTally.objects.bulk_create(
        DayTally(rep=rep, metric=calls, local_date=day, quantity=rng.randint(0, 40))
        for day in dates_between(FIRST, LAST)
        if rng.random() < 0.7
    )
    days = sorted(FIRST + dt.timedelta(days=rng.randint(0, 150)) for _ in range(12))

    by_day = attainment.daily_targets_and_actuals(
        reps=[rep], days={rep.pk: days}, metrics=[calls]
    )[rep.pk, calls.pk]

    ranges = {(rep.pk, str(day)): (day, day) for day in days}
    result = attainment.attainment_for_ranges(reps=[rep], ranges=ranges, now=NOW)
    expected = []
    for day in days:
        item = result[rep.pk, str(day)].for_metric("calls")
        expected.append((item.target, item.actual))
    assert by_day == expected
