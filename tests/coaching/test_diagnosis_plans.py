"""A plan's goals prefilled from the diagnosis, the agenda, rate goals and plan events."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from coaching.models import GoalsFrom, ImprovementPlan, PlanGoal
from coaching.services.agenda import agendas_for
from coaching.services.plans import (
    plan_acknowledge,
    plan_close,
    plan_goal_set,
    plans_open_for_flags,
)
from core import events
from targets.models import Flag, Target
from tests import factories
from tests.coaching.diagnosis_data import log_funnel, monthly_quota, team_of
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db

IN_OCTOBER = dt.date(2026, 10, 15)
# 2 November 2026: October has closed; November has 21 work days.
NOW = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)


def below_quota(rep) -> Flag:
    return Flag.objects.create(
        rep=rep,
        kind="below_quota",
        metric=factories.metric("revenue"),
        period="month",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        target=50000,
        actual=20000,
        percent=40,
    )


def eleni_in(team, *, quota=50000):
    """Connect-weak Eleni (10 % against the team's 25 %), below quota in October, with
    targets of 25 calls and 10 thank-you notes a day."""
    rep = factories.RepFactory(team=team, first_name="Eleni")
    log_funnel(
        rep,
        IN_OCTOBER,
        calls=1600,
        connected=160,
        appointments=40,
        deals=20,
        deal_amount=1000,
    )
    monthly_quota(rep, quota)
    factories.TargetFactory(rep=rep, metric=factories.metric("calls"), amount=25)
    factories.TargetFactory(
        rep=rep, metric=factories.metric("thank_you_notes"), amount=10
    )
    below_quota(rep)
    return rep


def goals_of(plan) -> dict:
    return {
        goal.stage or goal.metric.slug: (goal.period, goal.amount, goal.baseline)
        for goal in plan.goals.select_related("metric")
    }


def test_a_new_plan_is_prefilled_from_the_back_solve():
    # Given Eleni below quota in October, with a €50,000 quota for November
    rep = eleni_in(team_of(4, IN_OCTOBER))

    # When the review opens her plan
    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)

    # Then: connect rate at least the team's 25 % (she is at 10 %), and the activity
    # that reaches €50,000 at that rate: 50 deals, 100 appointments, 400 connected,
    # 1,600 calls over November's 21 work days: 77 a day, 100 / 21 x 5 = 24 a week;
    # her other activity targets are copied
    assert goals_of(plan) == {
        "connect": ("", Decimal("25.00"), Decimal("10.00")),
        "calls": ("day", Decimal(77), None),
        "appointments": ("week", Decimal(24), None),
        "thank_you_notes": ("day", Decimal(10), None),
    }
    assert ImprovementPlan.objects.get(pk=plan.pk).goals_from == GoalsFrom.DIAGNOSIS


def test_the_proposal_never_passes_the_ceiling():
    # Given a quota no activity could reach: 1,000 deals' worth
    rep = eleni_in(team_of(4, IN_OCTOBER), quota=500000)
    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)
    # Then calls a day stop at twice the team's top quartile (2 x 1,600 / 22 = 145.5)
    calls = plan.goals.get(metric__slug="calls")
    assert calls.amount == 145


def test_with_too_little_data_the_goals_are_copies_of_the_targets_and_it_says_so():
    # Given a rep with nothing logged in a team with nothing logged
    team = factories.TeamFactory()
    rep = factories.RepFactory(team=team, first_name="Nikos")
    factories.RepFactory(team=team)
    factories.TargetFactory(rep=rep, metric=factories.metric("calls"), amount=25)
    monthly_quota(rep, 20000)
    below_quota(rep)

    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)

    assert goals_of(plan) == {"calls": ("day", Decimal(25), None)}
    plan.refresh_from_db()
    assert plan.goals_from == GoalsFrom.TARGETS
    with translation.override("en"):
        agenda = agendas_for([plan], now=NOW)[plan.pk]
    assert (
        "Too little data to propose goals: they are copies of the activity targets."
        in agenda
    )


def test_the_agenda_carries_the_diagnosis_and_the_proposed_numbers():
    rep = eleni_in(team_of(4, IN_OCTOBER))
    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)
    plan = ImprovementPlan.objects.select_related(
        "rep__team__manager", "flag__metric"
    ).get(pk=plan.pk)

    agenda = agendas_for([plan], now=NOW)[plan.pk]

    diagnosis = next(line for line in agenda if line.startswith("Diagnosis: "))
    assert diagnosis.startswith(
        "Diagnosis: Eleni makes as many calls as the team, but connects on 10 % "
        "against the team's 25 %. Connecting is where the month was lost (about "
        "€30,000)."
    )
    assert "If Eleni's connect rate reaches the team's, 1,600 (77 a day)." in diagnosis
    assert (
        "Proposed goals: Call → connected ≥ 25 %; Calls: 77 a day; Appointments: 24 a "
        "week; Thank-you notes: 10 a day"
    ) in agenda


def test_the_agenda_is_written_in_the_managers_language(monkeypatch):
    from django.utils import translation as django_translation

    from coaching.diagnosis import sentences

    monkeypatch.setattr(
        sentences,
        "_",
        lambda text: (
            f"[el] {text}" if django_translation.get_language() == "el" else text
        ),
    )
    team = team_of(4, IN_OCTOBER)
    team.manager.language = "el"
    team.manager.save(update_fields=["language"])
    rep = eleni_in(team)
    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)
    agenda = agendas_for([plan], now=NOW)[plan.pk]
    assert any("[el] Eleni makes as many calls" in line for line in agenda)


def test_a_rate_goal_is_agreed_and_acknowledged_without_a_target():
    rep = eleni_in(team_of(4, IN_OCTOBER))
    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)
    plan_acknowledge(plan=plan, rep=rep)
    goal = plan.goals.get(stage="connect")
    targets_before = Target.objects.count()

    # When the manager sets the connect goal to 30 %
    plan_goal_set(plan=plan, goal=goal, amount=Decimal(30), by=rep.team.manager)

    # Then it is saved, no target is written, and the rep acknowledges again
    goal.refresh_from_db()
    plan.refresh_from_db()
    assert goal.amount == 30
    assert Target.objects.count() == targets_before
    assert plan.acknowledged_at is None
    plan_acknowledge(plan=plan, rep=rep)
    assert ImprovementPlan.objects.get(pk=plan.pk).acknowledged_at is not None
    # And a percent over 100 is refused beside the amount
    with pytest.raises(ValidationError) as refused:
        plan_goal_set(plan=plan, goal=goal, amount=Decimal(120), by=rep.team.manager)
    assert "amount" in refused.value.message_dict
    goal.refresh_from_db()
    assert goal.amount == 30


def test_the_plans_api_shows_rate_goals():
    rep = eleni_in(team_of(4, IN_OCTOBER))
    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)
    body = api_client_for(rep).get(f"/api/v1/improvement-plans/{plan.pk}/").json()
    assert body["goals_from"] == "diagnosis"
    assert {
        "metric": None,
        "stage": "connect",
        "period": "",
        "amount": "25.00",
        "baseline": "10.00",
    } in body["goals"]
    assert {
        "metric": "calls",
        "stage": "",
        "period": "day",
        "amount": "77.00",
        "baseline": None,
    } in body["goals"]


def test_a_goal_is_an_activity_or_a_rate_never_both():
    from django.db import IntegrityError, transaction

    rep = eleni_in(team_of(1, IN_OCTOBER))
    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanGoal.objects.create(
            plan=plan, metric=factories.metric("emails"), stage="close", amount=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanGoal.objects.create(plan=plan, stage="connect", amount=40)


def test_plans_opened_and_closed_are_announced(
    monkeypatch, django_capture_on_commit_callbacks
):
    heard = []
    monkeypatch.setattr(events, "_subscribers", [])
    events.subscribe(lambda event, ids: heard.append((event, ids)))
    rep = eleni_in(team_of(1, IN_OCTOBER))

    with django_capture_on_commit_callbacks(execute=True):
        [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        plan_close(plan=plan, by=rep.team.manager, reason="", now=timezone.now())

    # (closing the plan resolves its flag too, which flag_resolve announces)
    assert [(event, ids) for event, ids in heard if event.startswith("plan.")] == [
        ("plan.opened", {"plan_id": plan.pk}),
        ("plan.closed", {"plan_id": plan.pk}),
    ]
