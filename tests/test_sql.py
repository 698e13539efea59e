"""core/sql.py: the helpers of the few reads written as SQL."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import DayTally
from core.sql import decimal_reader, fetch_rows, table, where_in
from tests import factories

AMOUNTS = [
    Decimal("20"),
    Decimal("0.10"),
    Decimal("1000.00"),
    Decimal("19999.99"),
    Decimal("99999999.99"),
    Decimal("123456789012.34"),
]


@pytest.mark.django_db
def test_decimals_read_as_sql_equal_what_the_orm_reads(rep):
    calls = factories.metric("calls")
    DayTally.objects.bulk_create(
        DayTally(
            rep=rep,
            metric=calls,
            local_date=dt.date(2026, 3, 1) + dt.timedelta(days=index),
            amount=amount,
        )
        for index, amount in enumerate(AMOUNTS)
    )
    by_orm = list(
        DayTally.objects.filter(rep=rep).order_by("local_date").values_list("amount")
    )
    amount_of = decimal_reader(DayTally, "amount")
    by_sql = [
        (amount_of(amount),)
        for (amount,) in fetch_rows(
            f"SELECT amount FROM {table(DayTally)} WHERE rep_id = %s"
            " ORDER BY local_date",
            [rep.pk],
        )
    ]
    # Equal as values and as text ("20.00", not "20"), on whichever database runs this
    assert [str(value) for (value,) in by_sql] == [str(value) for (value,) in by_orm]
    assert all(type(value) is Decimal for (value,) in by_sql)


def test_where_in_has_a_placeholder_per_value_and_refuses_none():
    assert where_in("rep_id", (1, 2, 3)) == ("rep_id IN (%s, %s, %s)", [1, 2, 3])
    with pytest.raises(ValueError):
        where_in("rep_id", [])


@pytest.mark.django_db
def test_fetch_rows_passes_parameters():
    clause, params = where_in("2", [1, 2])
    assert fetch_rows(f"SELECT 1 WHERE {clause}", params) == [(1,)]
