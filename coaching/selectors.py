"""Reads of improvement plans, scoped by the viewer."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import records_q
from activities.models import Activity, CallOutcome, Metric
from activities.periods import WEEK, period_bounds, work_days_between
from activities.tallies import day_values
from coaching.diagnosis import Diagnosis, FunnelCounts, diagnose
from coaching.models import (
    FunnelStage,
    GoalsFrom,
    ImprovementPlan,
    PlanGoal,
    PlanStatus,
)
from targets.attainment import BEHIND, MET, percent_of_target
from targets.forecast import MonthForecast, month_forecasts
from targets.quota import rep_quota_metric_slug
from targets.selectors import RepAttainment, attainment_for_rep
from targets.target_shares import (
    NO_ACTUALS,
    DayTotals,
    TargetTerms,
    rounded_target,
    target_share,
)

RUNNING, NO_GOAL = "running", "no_goal"  # besides MET and BEHIND
PERCENT_STAGES = (FunnelStage.CONNECT, FunnelStage.APPOINTMENT, FunnelStage.CLOSE)


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
    diagnosis: Diagnosis | None  # what proposed the goals (None: copied from targets)


def plan_progress(
    plan: ImprovementPlan, *, now: dt.datetime | None = None
) -> PlanProgress:
    """The plan's goals, this week's attainment, the goals week by week, and the
    diagnosis of the month that opened the plan when it proposed the goals."""
    now = now or timezone.now()
    goals = list(plan.goals.select_related("metric"))
    this_week = attainment_for_rep(
        rep=plan.rep, period=WEEK, on=plan.rep.local_date(now), now=now
    )
    diagnosis = None
    if plan.goals_from == GoalsFrom.DIAGNOSIS:
        diagnosis = diagnose(plan.rep, month=plan.flag.period_start, now=now)
    return PlanProgress(
        plan=plan,
        goals=goals,
        this_week=this_week,
        weeks=plan_weeks(plan, goals=goals, now=now),
        diagnosis=diagnosis,
    )


PLAN_WEEKS_SHOWN = 8
# The tallies a rate goal's weekly funnel is read from (connected calls: the outcomes).
FUNNEL_SLUGS = ("calls", "appointments", "deals", "revenue")


@dataclass(frozen=True)
class GoalWeek:
    """One goal in one ISO week: what was done against the goal's share of the week.

    An activity goal has amounts (`goal_amount`, `actual`); a rate goal has rates
    (`goal_rate`, `rate`: None when the week has nothing to count it over).
    """

    goal: PlanGoal
    status: str  # "met" | "behind" | "running" (the week is not over) | "no_goal"
    goal_amount: Decimal | None = None
    actual: Decimal | None = None
    percent: int | None = None
    goal_rate: Fraction | None = None
    rate: Fraction | None = None
    events: int = 0


@dataclass(frozen=True)
class PlanWeek:
    start: dt.date
    end: dt.date
    is_current: bool
    cells: list[GoalWeek]


def _week_status(*, done, goal, is_current: bool) -> str:
    if not goal:
        return NO_GOAL
    if done is not None and done >= goal:
        return MET
    return RUNNING if is_current else BEHIND


def _plan_week_starts(
    plan: ImprovementPlan, *, today: dt.date, shown: int
) -> list[dt.date]:
    """Mondays of the weeks the plan ran, newest first (at most `shown`)."""
    rep = plan.rep
    last_day = rep.local_date(plan.closed_at) if plan.closed_at else today
    first_start = period_bounds(period=WEEK, on=rep.local_date(plan.opened_at))[0]
    starts = []
    start = period_bounds(period=WEEK, on=last_day)[0]
    while start >= first_start and len(starts) < shown:
        starts.append(start)
        start -= dt.timedelta(weeks=1)
    return starts


def _goal_rate(goal: PlanGoal) -> Fraction:
    """A rate goal's amount as the funnel's rate (a share for the conversions)."""
    rate = Fraction(goal.amount)
    if goal.stage in PERCENT_STAGES:
        rate /= 100
    return rate


def _activity_cell(goal, *, totals, start, end, work_days, is_current) -> GoalWeek:
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
    return GoalWeek(
        goal=goal,
        goal_amount=share,
        actual=actual,
        percent=percent_of_target(actual, share),
        status=_week_status(done=actual, goal=share, is_current=is_current),
    )


def _rate_cell(goal, *, counts: FunnelCounts, is_current) -> GoalWeek:
    target = _goal_rate(goal)
    rate = counts.rate(goal.stage)
    return GoalWeek(
        goal=goal,
        goal_rate=target,
        rate=rate,
        events=counts.events(goal.stage),
        status=_week_status(done=rate, goal=target, is_current=is_current),
    )


def plan_weeks(
    plan: ImprovementPlan,
    *,
    goals: list[PlanGoal],
    now: dt.datetime | None = None,
    shown: int = PLAN_WEEKS_SHOWN,
) -> list[PlanWeek]:
    """The plan's goals week by week in the rep's calendar, newest first.

    From the ISO week the plan opened in (the rep's local date) to the running week, or
    the week it closed; at most `shown` weeks. An activity goal counts in a week the way
    a target does: a daily goal once per work day, a weekly one whole, a monthly one
    spread over the month's work days (`targets.target_shares.target_share`). A rate
    goal is met by the week's own funnel rate (`coaching.diagnosis.FunnelCounts`).
    One query for the tallies, and one for connected calls when a goal is a rate.
    """
    now = now or timezone.now()
    rep = plan.rep
    today = rep.local_date(now)
    starts = _plan_week_starts(plan, today=today, shown=shown)
    if not starts or not goals:
        return []
    first, last = starts[-1], starts[0] + dt.timedelta(days=6)
    rate_goals = [goal for goal in goals if goal.is_rate]
    metrics = {goal.metric_id: goal.metric for goal in goals if not goal.is_rate}
    if rate_goals:
        metrics |= {metric.pk: metric for metric in funnel_metrics()}
    by_metric: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for _rep_id, metric_id, local_date, value in day_values(
        rep_ids=[rep.pk], metrics=list(metrics.values()), first=first, last=last
    ):
        by_metric[metric_id][local_date] = value
    totals = {pk: DayTotals(by_metric[pk]) for pk in metrics}
    slug_totals = {metric.slug: totals[pk] for pk, metric in metrics.items()}
    connected = (
        DayTotals(connected_by_day(rep=rep, first=first, last=last))
        if rate_goals
        else NO_ACTUALS
    )
    work_days = frozenset(rep.work_days or [])
    current_start = period_bounds(period=WEEK, on=today)[0]
    weeks = []
    for start in starts:
        end = start + dt.timedelta(days=6)
        is_current = start == current_start
        counts = None
        if rate_goals:
            counts = _week_counts(
                slug_totals,
                connected,
                start=start,
                end=min(end, today),
                work_days=work_days,
            )
        cells = [
            _rate_cell(goal, counts=counts, is_current=is_current)
            if goal.is_rate
            else _activity_cell(
                goal,
                totals=totals,
                start=start,
                end=end,
                work_days=work_days,
                is_current=is_current,
            )
            for goal in goals
        ]
        weeks.append(PlanWeek(start=start, end=end, is_current=is_current, cells=cells))
    return weeks


def _week_counts(slug_totals, connected, *, start, end, work_days) -> FunnelCounts:
    def total(slug: str) -> Decimal:
        found = slug_totals.get(slug)
        return found.between(start, end) if found else Decimal(0)

    return FunnelCounts(
        work_days=work_days_between(start=start, end=end, work_days=work_days),
        calls=int(total("calls")),
        connected=int(connected.between(start, end)),
        appointments=int(total("appointments")),
        deals=int(total("deals")),
        revenue=total("revenue"),
    )


def funnel_metrics() -> list[Metric]:
    return list(Metric.objects.filter(slug__in=FUNNEL_SLUGS))


def connected_by_day(
    *, rep: User, first: dt.date, last: dt.date
) -> dict[dt.date, Decimal]:
    """Local date -> calls logged as connected (one query)."""
    return {
        local_date: Decimal(quantity)
        for local_date, quantity in Activity.objects.filter(
            rep=rep,
            metric__slug="calls",
            outcome=CallOutcome.CONNECTED,
            local_date__gte=first,
            local_date__lte=last,
        )
        .values("local_date")
        .annotate(quantity=Sum("quantity"))
        .values_list("local_date", "quantity")
        .order_by()
    }


@dataclass(frozen=True)
class RepForecast:
    forecast: MonthForecast
    is_money: bool  # the quota metric is money (else a count, e.g. deals)


def rep_forecast(rep: User, *, now: dt.datetime | None = None) -> RepForecast | None:
    """Where the rep's running month will close (`targets.forecast`), None without one.

    Load the rep's `team` (it names the quota metric).
    """
    metric = Metric.objects.filter(slug=rep_quota_metric_slug(rep)).first()
    if metric is None:
        return None
    forecast = month_forecasts([rep], now=now, metrics=[metric]).get(rep.pk)
    if forecast is None:
        return None
    return RepForecast(forecast=forecast, is_money=metric.is_money)
