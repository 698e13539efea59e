"""A new plan's goals: proposed by the diagnosis, or copied from the rep's targets."""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from activities.metric_cache import metrics_in_order
from activities.models import MetricKind
from activities.periods import DAY, MONTH, WEEK
from coaching.diagnosis import Diagnosis, diagnoses_for, rate_text
from coaching.models import FunnelStage, GoalsFrom, ImprovementPlan, PlanGoal
from targets.models import Flag, Target


@dataclass(frozen=True)
class Prefill:
    """What a plan was opened with: kept for booking its one-on-one in the same
    process (the agenda shows both), never sent between processes."""

    diagnosis: Diagnosis
    goals: list[PlanGoal]


def flag_diagnoses(flags: list[Flag], *, now: dt.datetime) -> dict[int, Diagnosis]:
    """Flag id -> the diagnosis of the closed month it flags (load `rep__team`): four
    queries per distinct month (a review chunk's flags share one). The previous window
    is not read: neither the goals nor the agenda use it."""
    by_month: dict[dt.date, list[Flag]] = defaultdict(list)
    for flag in flags:
        by_month[flag.period_start].append(flag)
    found = {}
    for month, month_flags in by_month.items():
        diagnoses = diagnoses_for(
            [flag.rep for flag in month_flags], month=month, now=now, previous=False
        )
        found.update({flag.pk: diagnoses[flag.rep_id] for flag in month_flags})
    return found


def plan_diagnoses(
    plans: list[ImprovementPlan], *, now: dt.datetime
) -> dict[int, Diagnosis]:
    """Plan id -> the diagnosis of the month that opened it (load `rep__team` and
    `flag`), as `flag_diagnoses` reads them."""
    for plan in plans:
        plan.flag.rep = plan.rep
    by_flag = flag_diagnoses([plan.flag for plan in plans], now=now)
    return {plan.pk: by_flag[plan.flag_id] for plan in plans}


def too_thin(diagnosis: Diagnosis) -> bool:
    """Too little data to propose goals: no quota or rate to work back from, or not one
    conversion of the rep's own judged (every rate would be the team's)."""
    required = diagnosis.required
    conversions = (FunnelStage.CONNECT, FunnelStage.APPOINTMENT, FunnelStage.CLOSE)
    return (
        required is None
        or not required.reachable
        or not any(diagnosis.stage(stage).judged for stage in conversions)
    )


def goals_from(diagnosis: Diagnosis) -> str:
    """Where a new plan's goals come from: the diagnosis, or with too little data
    (`too_thin`) copies of the activity targets. Written with the plan."""
    return GoalsFrom.TARGETS if too_thin(diagnosis) else GoalsFrom.DIAGNOSIS


def goals_prefill(
    plans: list[ImprovementPlan], *, diagnoses: dict[int, Diagnosis]
) -> dict[int, Prefill]:
    """Write each new plan's goals, as its `goals_from` (see `goals_from`) says; returns
    plan id -> its diagnosis and goals.

    From the diagnosis (plan id -> its diagnosis): the constraint stage gets a rate
    goal (the team's median, the rep's own rate as the baseline) and calls and
    appointments the activity that reaches the next period's quota with that stage at
    the team's rate, in the period of the rep's own target for them (calls a work day
    and appointments a week without one), never past the ceiling; the rep's other
    activity targets are copied. From the targets, every activity target is copied.
    Two queries.
    """
    if not plans:
        return {}
    in_force: dict[int, dict[int, tuple[str, Decimal]]] = defaultdict(dict)
    for rep_id, metric_id, period, amount in Target.objects.filter(
        rep_id__in=[plan.rep_id for plan in plans],
        effective_until__isnull=True,
        metric__kind=MetricKind.ACTIVITY,
    ).values_list("rep_id", "metric_id", "period", "amount"):
        in_force[rep_id][metric_id] = (period, amount)
    metric_ids = _activity_metric_ids()
    goals: dict[int, list[PlanGoal]] = {}
    for plan in plans:
        targets = in_force[plan.rep_id]
        plan_goals = []
        if plan.goals_from == GoalsFrom.DIAGNOSIS:
            plan_goals += _proposed_goals(plan, diagnoses[plan.pk], targets, metric_ids)
            targets = {
                metric_id: terms
                for metric_id, terms in targets.items()
                if metric_id not in metric_ids.values()
            }
        plan_goals += [
            PlanGoal(plan_id=plan.pk, metric_id=metric_id, period=period, amount=amount)
            for metric_id, (period, amount) in targets.items()
        ]
        goals[plan.pk] = plan_goals
    # A new plan has no goals yet: every one is written.
    PlanGoal.objects.bulk_create(
        [goal for plan_goals in goals.values() for goal in plan_goals],
        ignore_conflicts=True,
    )
    return {
        plan.pk: Prefill(diagnosis=diagnoses[plan.pk], goals=goals[plan.pk])
        for plan in plans
    }


def _activity_metric_ids() -> dict[str, int]:
    return {
        metric.slug: metric.pk
        for metric in metrics_in_order()
        if metric.slug in ("calls", "appointments")
    }


def _up(value: Fraction) -> Decimal:
    return Decimal(math.ceil(value))


def _cents(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def goal_amount(stage: str, rate: Fraction) -> Decimal:
    """A rate as a goal stores it: a percent for the conversions, calls a work day for
    volume, money for the deal size (two decimals)."""
    if stage in (FunnelStage.CONNECT, FunnelStage.APPOINTMENT, FunnelStage.CLOSE):
        return _cents(rate * 100)
    return _cents(rate)


def proposed_activity(diagnosis: Diagnosis) -> dict[str, Fraction] | None:
    """Calls a work day and appointments a work day to propose: the back-solve with the
    constraint at the team's rate (the rep's own rates without a constraint), cut back
    to the ceiling (appointments in proportion)."""
    required = diagnosis.required_at_team_rate or diagnosis.required
    if required is None or not required.reachable or not required.work_days:
        return None
    calls = Fraction(required.calls_per_work_day)
    appointments = Fraction(required.appointments, required.work_days)
    ceiling = required.ceiling_calls_per_work_day
    if ceiling is not None and calls > ceiling:
        capped = Fraction(math.floor(ceiling))
        appointments = appointments * capped / calls
        calls = capped
    return {"calls": calls, "appointments": appointments}


def _in_period(
    per_work_day: Fraction, period: str, work_days: frozenset[int], diagnosis
):
    if period == DAY:
        return _up(per_work_day)
    if period == WEEK:
        return _up(per_work_day * len(work_days))
    return _up(per_work_day * (diagnosis.required.work_days or 0))


def _proposed_goals(
    plan: ImprovementPlan,
    diagnosis: Diagnosis,
    targets: dict[int, tuple[str, Decimal]],
    metric_ids: dict[str, int],
) -> list[PlanGoal]:
    goals = []
    constraint = diagnosis.constraint
    if constraint is not None:
        goals.append(
            PlanGoal(
                plan_id=plan.pk,
                stage=constraint.stage,
                amount=goal_amount(constraint.stage, constraint.team_rate),
                baseline=goal_amount(constraint.stage, constraint.rep_rate),
            )
        )
    activity = proposed_activity(diagnosis)
    work_days = frozenset(plan.rep.work_days)
    defaults = {"calls": DAY, "appointments": WEEK}
    for slug, per_work_day in (activity or {}).items():
        metric_id = metric_ids.get(slug)
        if metric_id is None:
            continue
        period = targets.get(metric_id, (defaults[slug], None))[0]
        if period not in (DAY, WEEK, MONTH):
            period = defaults[slug]
        amount = _in_period(per_work_day, period, work_days, diagnosis)
        goals.append(
            PlanGoal(
                plan_id=plan.pk,
                metric_id=metric_id,
                period=period,
                amount=max(amount, Decimal(1)),
            )
        )
    return goals


def goal_text(goal: PlanGoal) -> str:
    """A goal in a line, in the active language: "Call → connected ≥ 31 %",
    "Calls: 48 a day"."""
    if goal.is_rate:
        rate = Fraction(goal.amount)
        if goal.stage in (
            FunnelStage.CONNECT,
            FunnelStage.APPOINTMENT,
            FunnelStage.CLOSE,
        ):
            rate /= 100
        return _("%(stage)s ≥ %(rate)s") % {
            "stage": goal.label,
            "rate": rate_text(goal.stage, rate),
        }
    values = {"metric": goal.label, "amount": f"{goal.amount:.0f}"}
    if goal.period == DAY:
        return _("%(metric)s: %(amount)s a day") % values
    if goal.period == WEEK:
        return _("%(metric)s: %(amount)s a week") % values
    return _("%(metric)s: %(amount)s a month") % values
