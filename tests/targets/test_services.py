"""targets/services.py: targets with history, templates, and the rep's agreement."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from targets.attainment import attainment_for_rep
from targets.models import Target
from targets.services import (
    target_acknowledge,
    target_set,
    targets_agree,
    targets_apply_template,
)
from tests import factories

NOW = dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC)  # Wednesday, 14:00 in Athens
TODAY = dt.date(2026, 3, 11)


def calls_target(rep, amount, since, by=None, period="day"):
    return target_set(
        rep=rep,
        metric=factories.metric("calls"),
        period=period,
        amount=amount,
        effective_from=since,
        by=by,
        now=NOW,
    )


def test_changing_a_running_target_closes_it_and_opens_a_new_one(rep, manager):
    # Given 25 calls a day since January, agreed
    old = calls_target(rep, 25, dt.date(2026, 1, 5))
    target_acknowledge(target=old, by=rep, now=NOW)
    # When the manager raises it to 30 from today
    new = calls_target(rep, 30, TODAY, by=manager)
    # Then the old row ends yesterday, untouched otherwise, and the new one awaits agreement
    old.refresh_from_db()
    assert (old.amount, old.effective_until, old.agreed_at) == (
        Decimal(25),
        dt.date(2026, 3, 10),
        NOW,
    )
    assert (new.amount, new.effective_from, new.effective_until) == (
        Decimal(30),
        TODAY,
        None,
    )
    assert new.set_by == manager and new.agreed_at is None
    assert Target.objects.filter(rep=rep).count() == 2


def test_a_target_that_has_not_begun_is_replaced_in_place(rep, manager):
    upcoming = calls_target(rep, 25, dt.date(2026, 4, 1), by=manager)
    replacement = calls_target(rep, 20, dt.date(2026, 4, 1), by=manager)
    assert not Target.objects.filter(pk=upcoming.pk).exists()
    assert list(Target.objects.filter(rep=rep)) == [replacement]


def test_a_target_that_began_before_today_cannot_be_replaced_from_its_own_start(rep):
    # Given a target in force since last week
    calls_target(rep, 25, dt.date(2026, 3, 2))
    # When it is replaced from its own start
    with pytest.raises(ValidationError) as error:
        calls_target(rep, 30, dt.date(2026, 3, 2))
    # Then the rule stands: a change starts the day after at the earliest
    assert "a change can start the day after at the earliest" in str(error.value)
    assert Target.objects.get(rep=rep).amount == 25


def test_a_target_that_took_effect_today_is_superseded_by_the_days_agreement(
    rep, manager
):
    # Given the template's 25 calls a day, in force since this morning
    template_target = calls_target(rep, 25, TODAY)
    # When the manager records the 30 calls the two of them agreed, from today
    agreed = calls_target(rep, 30, TODAY, by=manager)
    # Then the template's row is kept, superseded by the manager now, in force on no day
    template_target.refresh_from_db()
    assert (
        template_target.superseded_by,
        template_target.superseded_at,
        template_target.effective_until,
    ) == (manager, NOW, TODAY - dt.timedelta(days=1))
    assert (agreed.amount, agreed.effective_from, agreed.superseded_at) == (
        Decimal(30),
        TODAY,
        None,
    )
    # And today's attainment counts the agreed target only, for the day and the month
    for period in ("day", "month"):
        item = attainment_for_rep(rep=rep, period=period, on=TODAY, now=NOW)
        calls = item.for_metric("calls")
        assert calls.target == 30 * (1 if period == "day" else 15), (
            period
        )  # 15 work days left


def test_a_day_one_agreement_may_be_corrected_the_same_day(rep, manager):
    calls_target(rep, 25, TODAY)
    calls_target(rep, 30, TODAY, by=manager)
    latest = calls_target(rep, 28, TODAY, by=manager)
    history = Target.objects.filter(rep=rep).order_by("pk")
    assert [(t.amount, t.superseded_at is not None) for t in history] == [
        (Decimal(25), True),
        (Decimal(30), True),
        (Decimal(28), False),
    ]
    assert Target.objects.get(rep=rep, effective_until__isnull=True) == latest


def test_the_days_agreement_is_recorded_all_or_nothing(rep, manager):
    # Given the template's calls and revenue targets since this morning
    calls_target(rep, 25, TODAY)
    revenue = factories.metric("revenue")
    target_set(
        rep=rep,
        metric=revenue,
        period="month",
        amount=20000,
        effective_from=TODAY,
        by=None,
        now=NOW,
    )
    calls = factories.metric("calls")
    # When one agreed amount is bad
    with pytest.raises(ValidationError) as error:
        targets_agree(
            rep=rep,
            amounts=[(calls, "day", Decimal(30)), (revenue, "month", Decimal(0))],
            effective_from=TODAY,
            by=manager,
            now=NOW,
        )
    # Then its metric is named and nothing is written
    assert error.value.message_dict == {"revenue": ["A target must be more than zero."]}
    assert not Target.objects.filter(rep=rep, superseded_at__isnull=False).exists()
    # When both are good, only the changed one gets a new row
    changed = targets_agree(
        rep=rep,
        amounts=[(calls, "day", Decimal(30)), (revenue, "month", Decimal(20000))],
        effective_from=TODAY,
        by=manager,
        now=NOW,
    )
    assert [(t.metric.slug, t.amount) for t in changed] == [("calls", Decimal(30))]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": 0}, "amount", "A target must be more than zero."),
        ({"amount": "x"}, "amount", "Enter a number such as 25."),
        ({"period": "year"}, "period", "Choose day, week or month."),
        (
            {"effective_from": TODAY - dt.timedelta(days=1)},
            "effective_from",
            "A new target can start today (March 11, 2026) at the earliest; past "
            "periods keep the targets that were in force.",
        ),
    ],
)
def test_bad_targets_are_refused_with_a_message(rep, manager, changes, field, message):
    arguments = {
        "rep": rep,
        "metric": factories.metric("calls"),
        "period": "day",
        "amount": 25,
        "effective_from": TODAY,
        "by": manager,
        "now": NOW,
    } | changes
    with pytest.raises(ValidationError) as error:
        target_set(**arguments)
    assert error.value.message_dict[field] == [message]
    assert not Target.objects.exists()


def test_only_the_reps_manager_or_an_admin_sets_targets(rep, admin_user):
    with pytest.raises(PermissionDenied):
        calls_target(rep, 25, TODAY, by=rep)
    with pytest.raises(PermissionDenied):
        calls_target(rep, 25, TODAY, by=factories.ManagerFactory())
    assert calls_target(rep, 25, TODAY, by=admin_user).set_by == admin_user


def test_the_rep_agrees_once_and_nobody_else_can_agree_for_them(rep, manager):
    target = calls_target(rep, 25, TODAY, by=manager)
    with pytest.raises(PermissionDenied):
        target_acknowledge(target=target, by=manager, now=NOW)
    target_acknowledge(target=target, by=rep, now=NOW)
    target_acknowledge(target=target, by=rep, now=NOW + dt.timedelta(days=1))
    target.refresh_from_db()
    assert target.agreed_at == NOW


def test_applying_the_standard_template_gives_the_four_agreed_expectations(
    rep, manager
):
    template = factories.standard_template()
    targets = targets_apply_template(
        rep=rep, template=template, by=manager, effective_from=TODAY, now=NOW
    )
    assert sorted((t.metric.slug, t.period, t.amount) for t in targets) == [
        ("appointments", "week", Decimal(5)),
        ("calls", "day", Decimal(25)),
        ("revenue", "month", Decimal(20000)),
        ("thank_you_notes", "day", Decimal(10)),
    ]
    assert all(t.agreed_at is None and t.set_by == manager for t in targets)
