"""activities.tallies.range_totals: the day tallies summed per range in the database give
what summing the days does, and attainment reads either way alike."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import DayTally
from activities.tallies import day_values, range_totals
from targets import attainment
from targets.attainment import attainment_for_ranges
from tests import factories

FIRST = dt.date(2026, 10, 1)
day = st.integers(min_value=0, max_value=59).map(lambda n: FIRST + dt.timedelta(n))
bounds = st.tuples(day, day).map(sorted).map(tuple)
tallies = st.dictionaries(
    keys=st.tuples(st.sampled_from(["calls", "revenue"]), day),
    values=st.tuples(
        st.integers(min_value=0, max_value=400),
        st.decimals(min_value=0, max_value=99999, places=2),
    ),
    max_size=25,
)


def _write(rep, drawn) -> None:
    DayTally.objects.filter(rep=rep).delete()
    DayTally.objects.bulk_create(
        DayTally(
            rep=rep,
            metric=factories.metric(slug),
            local_date=local_date,
            quantity=quantity,
            amount=amount,
        )
        for (slug, local_date), (quantity, amount) in drawn.items()
    )


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(drawn=tallies, ranges=st.lists(bounds, min_size=1, max_size=4, unique=True))
def test_range_sums_equal_the_days_summed(rep, drawn, ranges):
    _write(rep, drawn)
    metrics = [factories.metric("calls"), factories.metric("revenue")]
    days = day_values(
        rep_ids=[rep.pk], metrics=metrics, first=FIRST, last=FIRST + dt.timedelta(60)
    )
    totals = range_totals(rep_ids=[rep.pk], metrics=metrics, ranges=ranges)
    for metric in metrics:
        for start, end in ranges:
            summed = sum(
                (v for _r, m, d, v in days if m == metric.pk and start <= d <= end),
                Decimal(0),
            )
            found = totals.get((rep.pk, metric.pk, (start, end)), Decimal(0))
            # Equal as values and as text ("20.00" for money, "7" for a count)
            assert (found, str(found)) == (summed, str(summed))


@pytest.mark.django_db
def test_attainment_is_the_same_read_as_sums_or_as_days(rep, monkeypatch):
    factories.TargetFactory(rep=rep, metric=factories.metric("calls"), amount=20)
    factories.TargetFactory(
        rep=rep, metric=factories.metric("revenue"), period="month", amount=5000
    )
    _write(
        rep,
        {
            ("calls", FIRST + dt.timedelta(n)): (n % 30, Decimal(0))
            for n in range(0, 58, 3)
        }
        | {
            ("revenue", FIRST + dt.timedelta(n)): (1, Decimal("1234.50"))
            for n in range(1, 58, 7)
        },
    )
    ranges = {
        (rep.pk, "october"): (FIRST, dt.date(2026, 10, 31)),
        (rep.pk, "november"): (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        (rep.pk, "a week"): (dt.date(2026, 11, 9), dt.date(2026, 11, 15)),
    }
    now = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    as_sums = attainment_for_ranges(reps=[rep], ranges=ranges, now=now)
    monkeypatch.setattr(attainment, "RANGES_READ_AS_SUMS", 0)  # every range as days
    as_days = attainment_for_ranges(reps=[rep], ranges=ranges, now=now)
    assert as_sums == as_days
    november = as_sums[rep.pk, "november"]
    assert november.for_metric("revenue").actual == Decimal("4938.00")
