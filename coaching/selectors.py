"""Reads of improvement plans, scoped by the viewer."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import records_q
from activities.models import Metric
from activities.periods import WEEK, period_bounds
from activities.tallies import day_values
from coaching.models import ImprovementPlan, PlanGoal, PlanStatus
from targets.attainment import BEHIND, MET, percent_of_target
from targets.forecast import MonthForecast, month_forecasts
from targets.selectors import RepAttainment, attainment_for_rep
from targets.target_shares import DayTotals, TargetTerms, rounded_target, target_share

RUNNING, NO_GOAL = "running", "no_goal"  # besides MET and BEHIND


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
    weeks: list["PlanWeek"]  # newest first


def plan_progress(
    plan: ImprovementPlan, *, now: dt.datetime | None = None
) -> PlanProgress:
    """The plan's goals, this week's attainment and the goals week by week."""
    now = now or timezone.now()
    goals = list(plan.goals.select_related("metric"))
    this_week = attainment_for_rep(
        rep=plan.rep, period=WEEK, on=plan.rep.local_date(now), now=now
    )
    return PlanProgress(
        plan=plan,
        goals=goals,
        this_week=this_week,
        weeks=plan_weeks(plan, goals=goals, now=now),
    )


PLAN_WEEKS_SHOWN = 8


@dataclass(frozen=True)
class GoalWeek:
    """One goal in one ISO week: the goal's share of the week against what was done."""

    goal: PlanGoal
    goal_amount: Decimal  # the goal spread over the week's work days
    actual: Decimal
    percent: int | None
    status: str  # "met" | "behind" | "running" (the week is not over) | "no_goal"


@dataclass(frozen=True)
class PlanWeek:
    start: dt.date
    end: dt.date
    is_current: bool
    cells: list[GoalWeek]


def _week_status(*, actual: Decimal, goal: Decimal, is_current: bool) -> str:
    if not goal:
        return NO_GOAL
    if actual >= goal:
        return MET
    return RUNNING if is_current else BEHIND


def plan_weeks(
    plan: ImprovementPlan,
    *,
    goals: list[PlanGoal],
    now: dt.datetime | None = None,
    shown: int = PLAN_WEEKS_SHOWN,
) -> list[PlanWeek]:
    """The plan's activity goals week by week in the rep's calendar, newest first.

    From the ISO week the plan opened in (the rep's local date) to the running week, or
    the week it closed; at most `shown` weeks. A goal counts in a week the way a target
    does: a daily goal once per work day, a weekly one whole, a monthly one spread over
    the month's work days (`targets.target_shares.target_share`). One query for the
    tallies, whatever the number of weeks or goals.
    """
    now = now or timezone.now()
    rep = plan.rep
    today = rep.local_date(now)
    last_day = rep.local_date(plan.closed_at) if plan.closed_at else today
    first_day = rep.local_date(plan.opened_at)
    current_start = period_bounds(period=WEEK, on=today)[0]
    starts = []
    start = period_bounds(period=WEEK, on=last_day)[0]
    first_start = period_bounds(period=WEEK, on=first_day)[0]
    while start >= first_start and len(starts) < shown:
        starts.append(start)
        start -= dt.timedelta(weeks=1)
    activity_goals = [goal for goal in goals if goal.metric_id is not None]
    if not starts or not activity_goals:
        return []
    metrics = list({goal.metric_id: goal.metric for goal in activity_goals}.values())
    by_metric: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for _rep_id, metric_id, local_date, value in day_values(
        rep_ids=[rep.pk],
        metrics=metrics,
        first=starts[-1],
        last=starts[0] + dt.timedelta(days=6),
    ):
        by_metric[metric_id][local_date] = value
    work_days = frozenset(rep.work_days or [])
    totals = {metric.pk: DayTotals(by_metric[metric.pk]) for metric in metrics}
    weeks = []
    for start in starts:
        end = start + dt.timedelta(days=6)
        is_current = start == current_start
        cells = []
        for goal in activity_goals:
            share = rounded_target(
                target_share(
                    targets=[
                        TargetTerms(
                            period=goal.period,
                            amount=goal.amount,
                            effective_from=start,
                            effective_until=None,
                        )
                    ],
                    start=start,
                    end=end,
                    work_days=work_days,
                ),
                goal.metric.unit,
            )
            actual = totals[goal.metric_id].between(start, end)
            cells.append(
                GoalWeek(
                    goal=goal,
                    goal_amount=share,
                    actual=actual,
                    percent=percent_of_target(actual, share),
                    status=_week_status(
                        actual=actual, goal=share, is_current=is_current
                    ),
                )
            )
        weeks.append(PlanWeek(start=start, end=end, is_current=is_current, cells=cells))
    return weeks


@dataclass(frozen=True)
class RepForecast:
    forecast: MonthForecast
    is_money: bool  # the quota metric is money (else a count, e.g. deals)


def rep_forecast(rep: User, *, now: dt.datetime | None = None) -> RepForecast | None:
    """Where the rep's running month will close (`targets.forecast`), None without one.

    Load the rep's `team` (it names the quota metric).
    """
    now = now or timezone.now()
    try:
        forecast = month_forecasts([rep], today=rep.local_date(now)).get(rep.pk)
    except NotImplementedError:
        # The forecast's body is its own change of issue 15 (the interface came first).
        return None
    if forecast is None:
        return None
    metric = Metric.objects.filter(slug=forecast.metric_slug).first()
    return RepForecast(forecast=forecast, is_money=bool(metric and metric.is_money))
