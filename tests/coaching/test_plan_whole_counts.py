"""A plan's activity goal becomes the rep's target, so a count goal is a whole number
(`targets.services.count_amount_errors`, through `target_set`)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coaching.services.plans import plan_goal_set, plans_open_for_flags
from targets.models import Target
from tests.coaching.test_diagnosis_plans import IN_OCTOBER, NOW, eleni_in, team_of

pytestmark = pytest.mark.django_db


def test_half_a_call_as_a_plan_goal_is_refused_and_nothing_changes():
    rep = eleni_in(team_of(4, IN_OCTOBER))
    [plan] = plans_open_for_flags(rep_ids=[rep.pk], now=NOW)
    goal = plan.goals.filter(metric__unit="count").first()
    before = (goal.amount, Target.objects.count())
    with pytest.raises(ValidationError) as refused:
        plan_goal_set(plan=plan, goal=goal, amount=Decimal("30.5"), by=rep.team.manager)
    assert refused.value.message_dict == {
        "amount": [f"{goal.metric.label} are counted in whole numbers."]
    }
    goal.refresh_from_db()
    assert (goal.amount, Target.objects.count()) == before
    plan_goal_set(plan=plan, goal=goal, amount=Decimal(31), by=rep.team.manager)
    goal.refresh_from_db()
    assert goal.amount == 31
