"""core/sql.py: the helpers of the few reads written as SQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Notification
from activities.models import DayTally
from coaching.models import ImprovementPlan
from core.sql import decimal_reader, fetch_rows, insert_new, table, where_in
from targets.models import Flag, FlagKind
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


def _flag(rep, metric, start: dt.date, kind=FlagKind.BELOW_QUOTA) -> Flag:
    return Flag(
        rep=rep,
        kind=kind,
        metric=metric,
        period="month",
        period_start=start,
        period_end=start.replace(day=28),
        target=Decimal("100"),
        actual=Decimal("50"),
        percent=50,
    )


@pytest.mark.django_db
def test_insert_new_returns_only_the_rows_it_inserted_with_their_keys(rep):
    revenue = factories.metric("revenue")
    there = _flag(rep, revenue, dt.date(2026, 9, 1))
    there.save()
    rows = [
        _flag(rep, revenue, dt.date(2026, 9, 1)),  # already there
        _flag(rep, revenue, dt.date(2026, 10, 1)),
        _flag(rep, revenue, dt.date(2026, 10, 1)),  # twice in the batch
        _flag(rep, revenue, dt.date(2026, 11, 1)),
        _flag(rep, revenue, dt.date(2026, 11, 1), kind=FlagKind.AT_RISK),
    ]

    inserted = insert_new(rows, key=("rep", "kind", "metric", "period_start"))

    assert sorted((flag.period_start, flag.kind) for flag in inserted) == [
        (dt.date(2026, 10, 1), FlagKind.BELOW_QUOTA),
        (dt.date(2026, 11, 1), FlagKind.AT_RISK),
        (dt.date(2026, 11, 1), FlagKind.BELOW_QUOTA),
    ]
    assert {id(flag) for flag in inserted} == {id(rows[1]), id(rows[3]), id(rows[4])}
    # Each returned row carries the id of the row written for it, and is saved.
    stored = {
        flag.pk: (flag.kind, flag.period_start) for flag in Flag.objects.filter(rep=rep)
    }
    assert len(stored) == 4
    for flag in inserted:
        assert stored[flag.pk] == (flag.kind, flag.period_start)
        assert flag._state.adding is False
    assert rows[0].pk is None and rows[2].pk is None
    # Run again: nothing is new.
    assert insert_new(rows, key=("rep", "kind", "metric", "period_start")) == []


@pytest.mark.django_db
def test_insert_new_writes_defaults_and_database_defaults_in_batches(rep, manager):
    # More rows than SQLite takes in one statement (its parameters are capped).
    drafts = [
        Notification(user=rep if index % 2 else manager, key=f"k{index}", title="t")
        for index in range(700)
    ]
    inserted = insert_new(drafts, key=("user", "key"))
    assert len(inserted) == 700
    assert Notification.objects.count() == 700
    assert all(note.created_at is not None for note in inserted)  # auto_now_add
    assert {note.pk for note in inserted} == set(
        Notification.objects.values_list("pk", flat=True)
    )

    flag = _flag(rep, factories.metric("revenue"), dt.date(2026, 11, 1))
    flag.save()
    [plan] = insert_new(
        [
            ImprovementPlan(
                rep=rep,
                flag=flag,
                opened_at=timezone.now(),
                review_until=dt.date(2027, 1, 30),
            )
        ],
        key=("flag",),
    )
    plan.refresh_from_db()
    assert plan.goals_from == ""  # the column's database default, written out
