"""coaching.selectors.plan_weeks and the plan page: the goals followed week by week."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from coaching.models import GoalsFrom, ImprovementPlan, PlanGoal
from coaching.selectors import plan_weeks
from targets.models import Flag
from tests import factories
from tests.coaching.diagnosis_data import log_funnel
from tests.targets.test_dashboard import log

pytestmark = pytest.mark.django_db

# A Wednesday: the plan opened on Monday 2 March, two weeks ago (Europe/Athens).
NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)


def open_plan(rep, *, opened_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
    flag = Flag.objects.create(
        rep=rep,
        kind="below_quota",
        metric=factories.metric("revenue"),
        period="month",
        period_start="2026-02-01",
        period_end="2026-02-28",
        target=20000,
        actual=12800,
        percent=64,
    )
    plan = ImprovementPlan.objects.create(
        rep=rep, flag=flag, opened_at=opened_at, review_until=dt.date(2026, 4, 30)
    )
    PlanGoal.objects.create(
        plan=plan, metric=factories.metric("calls"), period="day", amount=25
    )
    PlanGoal.objects.create(
        plan=plan, metric=factories.metric("appointments"), period="week", amount=5
    )
    return plan


@pytest.fixture
def athens_rep(team):
    return factories.RepFactory(team=team, first_name="Eleni", timezone="Europe/Athens")


def test_each_week_since_the_plan_opened_sets_the_goals_against_what_was_done(
    athens_rep,
):
    # Given a plan opened on 2 March with 25 calls a day and 5 appointments a week
    plan = open_plan(athens_rep)
    log(athens_rep, "calls", dt.date(2026, 3, 2), 130)  # week 1: more than 5 × 25
    log(athens_rep, "appointments", dt.date(2026, 3, 4), 3)
    log(athens_rep, "calls", dt.date(2026, 3, 9), 100)  # week 2: short
    log(athens_rep, "appointments", dt.date(2026, 3, 13), 6)
    log(athens_rep, "calls", dt.date(2026, 3, 16), 40)  # week 3: running
    log(athens_rep, "calls", dt.date(2026, 2, 27), 500)  # before the plan: not shown

    # When its weeks are read
    weeks = plan_weeks(plan, goals=list(plan.goals.select_related("metric")), now=NOW)

    # Then they run newest first, from the running week back to the opening week
    assert [week.start for week in weeks] == [
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 9),
        dt.date(2026, 3, 2),
    ]
    assert [week.is_current for week in weeks] == [True, False, False]
    cells = [
        [(c.goal.metric.slug, c.actual, c.goal_amount, c.status) for c in week.cells]
        for week in weeks
    ]
    # a daily goal counts once per work day (Monday to Friday: 125 a week)
    assert cells == [
        [("calls", 40, 125, "running"), ("appointments", 0, 5, "running")],
        [("calls", 100, 125, "behind"), ("appointments", 6, 5, "met")],
        [("calls", 130, 125, "met"), ("appointments", 3, 5, "behind")],
    ]
    assert weeks[1].cells[0].percent == 80


def test_a_rep_who_works_four_days_has_a_smaller_weekly_share_of_a_daily_goal(team):
    rep = factories.RepFactory(team=team, work_days=[1, 2, 3, 4])
    plan = open_plan(rep)

    weeks = plan_weeks(plan, goals=list(plan.goals.select_related("metric")), now=NOW)

    assert weeks[0].cells[0].goal_amount == Decimal(100)


def test_only_the_last_weeks_are_shown_and_a_closed_plan_stops_at_its_close(
    athens_rep,
):
    plan = open_plan(athens_rep, opened_at=dt.datetime(2025, 9, 1, 9, tzinfo=dt.UTC))
    goals = list(plan.goals.select_related("metric"))

    assert len(plan_weeks(plan, goals=goals, now=NOW)) == 8
    plan.closed_at = dt.datetime(2025, 9, 20, 9, tzinfo=dt.UTC)
    assert [week.start for week in plan_weeks(plan, goals=goals, now=NOW)] == [
        dt.date(2025, 9, 15),
        dt.date(2025, 9, 8),
        dt.date(2025, 9, 1),
    ]


def test_a_plan_without_goals_has_no_weeks(athens_rep):
    plan = open_plan(athens_rep)
    plan.goals.all().delete()

    assert plan_weeks(plan, goals=[], now=NOW) == []


@pytest.mark.parametrize("weeks_open", [1, 8])
def test_the_plan_page_shows_the_weeks_in_a_constant_number_of_queries(
    client, manager, athens_rep, django_assert_num_queries, weeks_open
):
    # Given a plan open for one week, or for eight
    opened = dt.datetime.now(dt.UTC) - dt.timedelta(weeks=weeks_open - 1)
    plan = open_plan(athens_rep, opened_at=opened)
    client.force_login(manager)

    # When the manager opens it: session, user, plan, goals, this week (metrics,
    # targets, tallies), the weeks' tallies, notifications
    with django_assert_num_queries(9):
        response = client.get(reverse("coaching:plan", args=[plan.pk]))

    # Then the weeks are there
    assert response.status_code == 200
    assert len(response.context["progress"].weeks) == weeks_open
    assert b'data-testid="plan-weeks"' in response.content


def test_the_plan_page_says_so_when_there_are_no_goals_to_follow(client, athens_rep):
    plan = open_plan(athens_rep)
    plan.goals.all().delete()
    client.force_login(athens_rep)

    response = client.get(reverse("coaching:plan", args=[plan.pk]))

    assert b'data-testid="plan-weeks-empty"' in response.content


def add_rate_goal(plan, *, stage="connect", amount=31, baseline=14):
    return PlanGoal.objects.create(
        plan=plan, stage=stage, amount=amount, baseline=baseline
    )


def test_a_rate_goal_is_met_by_the_weeks_own_rate(athens_rep):
    # Given a plan with "call → connected at least 31 %"
    plan = open_plan(athens_rep)
    plan.goals.all().delete()
    add_rate_goal(plan)
    log_funnel(athens_rep, dt.date(2026, 3, 3), calls=100, connected=35)  # 35 %
    log_funnel(athens_rep, dt.date(2026, 3, 10), calls=100, connected=20)  # 20 %

    # When its weeks are read
    weeks = plan_weeks(plan, goals=list(plan.goals.select_related("metric")), now=NOW)

    # Then each week has its own connect rate against the goal
    cells = [week.cells[0] for week in weeks]
    assert [(cell.rate, cell.events, cell.status) for cell in cells] == [
        (None, 0, "running"),
        (Fraction(1, 5), 100, "behind"),
        (Fraction(7, 20), 100, "met"),
    ]
    assert cells[0].goal_rate == Fraction(31, 100)


@pytest.fixture
def proposed_plan(athens_rep):
    """A plan whose goals the diagnosis proposed: connect ≥ 31 %, 30 calls a day."""
    plan = open_plan(athens_rep, opened_at=dt.datetime.now(dt.UTC))
    plan.goals_from = GoalsFrom.DIAGNOSIS
    plan.save()
    plan.goals.filter(metric__slug="calls").update(amount=30)
    add_rate_goal(plan)
    return plan


def test_the_manager_sees_the_proposed_goals_with_their_assumptions(
    client, manager, proposed_plan, django_assert_num_queries
):
    client.force_login(manager)

    # session, user, plan, goals, this week (3), the diagnosis (6), the weeks'
    # tallies, the funnel's metrics, connected calls, notifications
    with django_assert_num_queries(16):
        response = client.get(reverse("coaching:plan", args=[proposed_plan.pk]))

    body = response.content.decode()
    assert 'data-testid="goals-from"' in body
    assert "Proposed by the diagnosis of February 2026" in body
    assert 'data-testid="goal-form-connect"' in body
    assert "from 14 % when the plan opened" in body
    assert 'data-testid="plan-assumptions"' in body
    assert 'data-testid="week-cell-connect"' in body


def test_the_manager_adjusts_a_rate_goal_and_the_rep_is_asked_again(
    client, manager, proposed_plan
):
    proposed_plan.acknowledged_at = dt.datetime.now(dt.UTC)
    proposed_plan.save()
    goal = proposed_plan.goals.get(stage="connect")
    client.force_login(manager)

    response = client.post(
        reverse("coaching:plan_goal", args=[proposed_plan.pk, goal.pk]),
        {"amount": "25.5"},
        follow=True,
    )

    goal.refresh_from_db()
    proposed_plan.refresh_from_db()
    assert goal.amount == Decimal("25.5")
    assert proposed_plan.acknowledged_at is None
    assert "Call → connected goal saved" in response.content.decode()


def test_a_rate_goal_over_100_percent_is_refused_with_a_message(
    client, manager, proposed_plan
):
    goal = proposed_plan.goals.get(stage="connect")
    client.force_login(manager)

    response = client.post(
        reverse("coaching:plan_goal", args=[proposed_plan.pk, goal.pk]),
        {"amount": "150"},
        follow=True,
    )

    goal.refresh_from_db()
    assert goal.amount == 31
    assert "A rate goal is a percent: 100 at most." in response.content.decode()


def test_the_rep_reads_the_goals_and_acknowledges_the_plan(
    client, athens_rep, proposed_plan
):
    client.force_login(athens_rep)

    page = client.get(reverse("coaching:plan", args=[proposed_plan.pk]))
    assert "Call → connected ≥ 31 %" in page.content.decode()
    assert 'data-testid="goal-form-connect"' not in page.content.decode()
    client.post(reverse("coaching:plan_acknowledge", args=[proposed_plan.pk]))

    proposed_plan.refresh_from_db()
    assert proposed_plan.acknowledged_at is not None
