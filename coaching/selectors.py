"""Reads of improvement plans, scoped by the viewer."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import records_q
from activities.periods import WEEK
from coaching.models import ImprovementPlan, PlanStatus
from targets.selectors import RepAttainment, attainment_for_rep


def plans_for_viewer(viewer: User) -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.filter(records_q(viewer)).select_related(
        "rep", "rep__team", "flag", "flag__metric", "meeting"
    )


def plan_get_for(viewer: User, pk: int) -> ImprovementPlan:
    return get_object_or_404(plans_for_viewer(viewer), pk=pk)


def open_plan_for(rep: User) -> ImprovementPlan | None:
    return (
        ImprovementPlan.objects.filter(rep=rep, status=PlanStatus.OPEN)
        .select_related("flag", "flag__metric", "meeting")
        .first()
    )


@dataclass(frozen=True)
class PlanProgress:
    plan: ImprovementPlan
    goals: list
    this_week: RepAttainment


def plan_progress(
    plan: ImprovementPlan, *, now: dt.datetime | None = None
) -> PlanProgress:
    """The plan's goals and this week's attainment, shown to the rep and the manager."""
    now = now or timezone.now()
    goals = list(plan.goals.select_related("metric"))
    this_week = attainment_for_rep(
        rep=plan.rep, period=WEEK, on=plan.rep.local_date(now), now=now
    )
    return PlanProgress(plan=plan, goals=goals, this_week=this_week)
