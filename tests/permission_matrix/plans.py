"""Improvement plans: pages and API."""

import datetime as dt

from django.utils import timezone

from coaching.models import ImprovementPlan, PlanGoal
from targets.models import Flag
from tests import factories
from tests.permission_matrix import API_ANON, Row, everyone, team_a_object
from tests.permission_matrix.review import flag_pk


def plan_pk(world) -> dict:
    flag = Flag.objects.get(pk=flag_pk(world)["pk"])
    plan = ImprovementPlan.objects.create(
        rep=world["rep"],
        flag=flag,
        opened_at=timezone.now(),
        review_until=timezone.now().date() + dt.timedelta(days=60),
    )
    return {"pk": plan.pk}


def plan_goal_pks(world) -> dict:
    pk = plan_pk(world)["pk"]
    goal = PlanGoal.objects.create(
        plan_id=pk, metric=factories.metric("calls"), period="day", amount=25
    )
    return {"pk": pk, "goal_pk": goal.pk}


def manage_only(status: int = 302) -> dict:
    """Close and extend: the rep's manager and admins; the rep is told no."""
    return {
        "anonymous": 302,
        "rep": 403,
        "rep_other": 404,
        "manager": status,
        "manager_other": 404,
        "manager_above": 404,
        "admin": status,
    }


ROWS = [
    Row("coaching:plans", everyone(200)),
    Row("coaching:plan", team_a_object(), kwargs=plan_pk),
    Row("coaching:plan_acknowledge", team_a_object(302), kwargs=plan_pk, method="post"),
    Row(
        "coaching:plan_extend",
        manage_only(),
        kwargs=plan_pk,
        method="post",
        data=lambda world: {"until": "2031-01-01"},
    ),
    Row("coaching:plan_close", manage_only(), kwargs=plan_pk, method="post"),
    Row(
        "coaching:plan_goal",
        manage_only(),
        kwargs=plan_goal_pks,
        method="post",
        data=lambda world: {"amount": "30"},
    ),
    Row("api-improvement-plan-list", everyone(200, anonymous=API_ANON)),
    Row(
        "api-improvement-plan-detail", team_a_object(anonymous=API_ANON), kwargs=plan_pk
    ),
]
