"""activities/tallies.py and verify_tallies: the tally always equals a recount."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import Activity, DayTally, Deal
from activities.services import (
    activity_delete,
    activity_log,
    activity_update,
    deal_delete,
    deal_log,
    deal_update,
)
from activities.tallies import day_values, tallies_verify
from tests import factories

NOW = dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC)  # a Wednesday

minutes_ago = st.integers(
    min_value=-30, max_value=60 * 24 * 10
)  # some future, some too old
log = st.tuples(
    st.just("log"),
    st.integers(0, 2),  # rep
    st.sampled_from(["calls", "appointments", "emails"]),
    st.integers(-1, 502),  # quantity, some out of range
    minutes_ago,
)
edit = st.tuples(
    st.just("edit"),
    st.integers(0, 50),  # which existing activity
    st.sampled_from(["calls", "thank_you_notes"]),
    st.integers(0, 501),
    minutes_ago,
)
delete = st.tuples(st.just("delete"), st.integers(0, 50))
deal = st.tuples(
    st.just("deal"),
    st.integers(0, 2),
    st.decimals(min_value=-5, max_value=50000, places=2),
    minutes_ago,
)
deal_change = st.tuples(
    st.just("deal_change"), st.integers(0, 20), st.integers(1, 9000), minutes_ago
)
deal_remove = st.tuples(st.just("deal_delete"), st.integers(0, 20))
operations = st.lists(
    st.one_of(log, edit, delete, deal, deal_change, deal_remove), max_size=30
)


def pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def apply(operation, reps, manager):
    kind = operation[0]
    if kind == "log":
        _kind, rep, slug, quantity, ago = operation
        activity_log(
            rep=reps[rep],
            metric=slug,
            quantity=quantity,
            occurred_at=NOW - dt.timedelta(minutes=ago),
            by=reps[rep],
            now=NOW,
        )
    elif kind == "edit" and (activity := pick(Activity.objects, operation[1])):
        _kind, _index, slug, quantity, ago = operation
        activity_update(
            activity=activity,
            metric=slug,
            quantity=quantity,
            occurred_at=NOW - dt.timedelta(minutes=ago),
            by=activity.rep if quantity % 2 else manager,
            now=NOW,
        )
    elif kind == "delete" and (activity := pick(Activity.objects, operation[1])):
        activity_delete(activity=activity, by=activity.rep, now=NOW)
    elif kind == "deal":
        _kind, rep, amount, ago = operation
        deal_log(
            rep=reps[rep],
            title="Deal",
            amount=amount,
            closed_at=NOW - dt.timedelta(minutes=ago),
            by=reps[rep],
            now=NOW,
        )
    elif kind == "deal_change" and (found := pick(Deal.objects, operation[1])):
        _kind, _index, amount, ago = operation
        deal_update(
            deal=found,
            amount=Decimal(amount),
            closed_at=NOW - dt.timedelta(minutes=ago),
            by=found.rep,
            now=NOW,
        )
    elif kind == "deal_delete" and (found := pick(Deal.objects, operation[1])):
        deal_delete(deal=found, by=found.rep, now=NOW)


@pytest.fixture
def people(team):
    zones = ["Pacific/Kiritimati", "Pacific/Honolulu", "Europe/Berlin"]
    return [
        factories.RepFactory(team=team, timezone=zone) for zone in zones
    ], team.manager


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=operations)
def test_random_log_edit_delete_sequences_keep_tallies_equal_to_a_recount(
    people, sequence
):
    reps, manager = people
    with transaction.atomic():
        # Given any sequence of writes, valid or refused
        for operation in sequence:
            with contextlib.suppress(ValidationError, PermissionDenied):
                apply(operation, reps, manager)
        # Then every stored tally equals a recount of the raw rows
        assert tallies_verify() == []
        transaction.set_rollback(True)


def test_verify_tallies_passes_then_fails_on_a_mismatch_and_fix_rebuilds(rep, capsys):
    # Given a consistent history
    activity_log(rep=rep, metric="calls", quantity=3, by=rep)
    deal_log(rep=rep, title="Acme", amount=500, by=rep)
    call_command("verify_tallies")
    assert "All day tallies match" in capsys.readouterr().out
    # When a tally drifts
    DayTally.objects.filter(metric__slug="calls").update(quantity=99)
    # Then the command exits non-zero, naming the mismatch
    with pytest.raises(CommandError, match="1 day tallies do not match"):
        call_command("verify_tallies")
    assert "stored (99" in capsys.readouterr().out
    # And --fix rebuilds them from a recount
    call_command("verify_tallies", "--fix")
    assert tallies_verify() == []
    assert DayTally.objects.get(metric__slug="calls").quantity == 3


def test_verify_tallies_exits_with_status_1_from_the_shell(rep):
    DayTally.objects.create(
        rep=rep, metric=factories.metric("emails"), local_date=NOW.date(), quantity=2
    )
    with pytest.raises(CommandError) as error:
        call_command("verify_tallies")
    assert error.value.returncode == 1


def test_day_values_read_amounts_of_money_metrics_and_counts_of_the_rest(rep, team):
    other = factories.RepFactory(team=team)
    calls, revenue = factories.metric("calls"), factories.metric("revenue")
    day = dt.date(2026, 3, 10)
    DayTally.objects.bulk_create(
        [
            DayTally(rep=rep, metric=calls, local_date=day, quantity=7),
            DayTally(
                rep=rep,
                metric=revenue,
                local_date=day,
                quantity=2,
                amount=Decimal("1234.56"),
            ),
            DayTally(rep=rep, metric=calls, local_date=day + dt.timedelta(1)),
            DayTally(rep=rep, metric=calls, local_date=day - dt.timedelta(1)),
            DayTally(rep=other, metric=calls, local_date=day, quantity=99),
        ]
    )
    rows = day_values(rep_ids=[rep.pk], metrics=[calls, revenue], first=day, last=day)
    assert sorted(rows) == [
        (rep.pk, calls.pk, day, Decimal(7)),
        (rep.pk, revenue.pk, day, Decimal("1234.56")),
    ]
    assert all(isinstance(value, Decimal) for *_key, value in rows)
    later = day + dt.timedelta(days=5)  # a whole amount (SQLite keeps it as an int)
    DayTally.objects.create(
        rep=rep, metric=revenue, local_date=later, amount=Decimal(1500)
    )
    [(*_key, amount)] = day_values(
        rep_ids=[rep.pk], metrics=[revenue], first=later, last=later
    )
    assert str(amount) == "1500.00"
    assert day_values(rep_ids=[], metrics=[calls], first=day, last=day) == []
    assert day_values(rep_ids=[rep.pk], metrics=[], first=day, last=day) == []
