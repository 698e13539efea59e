"""A plan's one-on-one agenda: the numbers behind the flag, the trend, the activity mix,
the diagnosis, the proposed goals and open action items, in the manager's language.

Plans are written out language by language, each message translated once per language
rather than once per line (a review chunk books hundreds of one-on-ones).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activities.metric_cache import metrics_in_order
from activities.periods import MONTH, period_bounds
from coaching.models import GoalsFrom, ImprovementPlan, PlanGoal
from coaching.services.goals import Prefill, goal_text, plan_diagnoses
from meetings.selectors import open_action_items_by_owner
from targets.amounts import amount_text
from targets.attainment import attainment_for_ranges, percent_of_target
from targets.models import MonthResult

TREND_MONTHS = 4  # months of results on the agenda
AGENDA_ACTION_ITEMS = 5


@dataclass(frozen=True)
class AgendaTexts:
    """The agenda's messages and metric labels in the active language."""

    results: str
    trend: str
    mix: str
    diagnosis: str
    copied_goals: str
    proposed_goals: str
    action_item: str
    agree_goals: str
    labels: dict[str, str]  # metric slug -> label

    @classmethod
    def translated(cls, metrics) -> "AgendaTexts":
        return cls(
            results=_(
                "Results for %(month)s: %(metric)s %(actual)s of %(target)s "
                "(%(percent)d%%)"
            ),
            trend=_("Trend: %(trend)s"),
            mix=_("Activity mix: %(mix)s"),
            diagnosis=_("Diagnosis: %(sentence)s"),
            copied_goals=_(
                "Too little data to propose goals: they are copies of the "
                "activity targets."
            ),
            proposed_goals=_("Proposed goals: %(goals)s"),
            action_item=_("Open action item: %(text)s"),
            agree_goals=_("Agree the activity goals of the improvement plan"),
            labels={metric.slug: metric.label for metric in metrics},
        )


def agendas_for(
    plans: list[ImprovementPlan],
    *,
    now: dt.datetime,
    prefills: dict[int, Prefill] | None = None,
) -> dict[int, list[str]]:
    """Plan id -> its one-on-one's agenda lines (load `rep__team__manager` and
    `flag__metric`). A fixed number of queries; `prefills` (plan id -> what it was
    opened with) saves diagnosing again, and reading the goals of, the plans a caller
    has just opened."""
    reps = [plan.rep for plan in plans]
    recent_months: dict[int, list[MonthResult]] = defaultdict(list)
    for result in MonthResult.objects.filter(rep__in=reps).order_by(
        "rep_id", "-month_start"
    ):
        if len(recent_months[result.rep_id]) < TREND_MONTHS:
            recent_months[result.rep_id].append(result)
    metrics = metrics_in_order()
    attainment = attainment_for_ranges(
        reps=reps,
        ranges={
            (plan.rep_id, "month"): period_bounds(
                period=MONTH, on=plan.flag.period_start
            )
            for plan in plans
        },
        now=now,
        metrics=metrics,
    )
    action_items = open_action_items_by_owner(users=reps, limit=AGENDA_ACTION_ITEMS)
    prefills = prefills or {}
    diagnoses = {pk: prefill.diagnosis for pk, prefill in prefills.items()}
    goals: dict[int, list[PlanGoal]] = defaultdict(list)
    for pk, prefill in prefills.items():
        goals[pk] += prefill.goals
    if missing := [plan for plan in plans if plan.pk not in prefills]:
        diagnoses |= plan_diagnoses(missing, now=now)
        for goal in PlanGoal.objects.filter(plan__in=missing):
            goals[goal.plan_id].append(goal)
    metric_by_id = {metric.pk: metric for metric in metrics}
    for plan_goals in goals.values():
        for goal in plan_goals:
            if goal.metric_id:
                goal.metric = metric_by_id[goal.metric_id]  # the process's copy
        # The rate goal first, then activity by metric.
        plan_goals.sort(
            key=lambda g: (g.metric_id is not None, g.metric and g.metric.sort_order)
        )
    by_language: dict[str, list[ImprovementPlan]] = defaultdict(list)
    for plan in plans:
        by_language[plan.rep.team.manager.language].append(plan)
    agendas = {}
    for language, language_plans in by_language.items():
        with translation.override(language):
            texts = AgendaTexts.translated(metrics)
            for plan in language_plans:
                agendas[plan.pk] = _agenda(
                    plan,
                    texts=texts,
                    months=recent_months[plan.rep_id],
                    month=attainment[plan.rep_id, "month"],
                    diagnosis=diagnoses[plan.pk],
                    goals=goals[plan.pk],
                    action_items=action_items[plan.rep_id],
                )
    return agendas


def _agenda(
    plan, *, texts: AgendaTexts, months, month, diagnosis, goals, action_items
) -> list[str]:
    flag = plan.flag
    label = texts.labels
    lines = [
        texts.results
        % {
            "month": date_format(flag.period_start, "YEAR_MONTH_FORMAT"),
            "metric": label[flag.metric.slug],
            "actual": amount_text(flag.actual, flag.metric.unit),
            "target": amount_text(flag.target, flag.metric.unit),
            "percent": flag.percent,
        }
    ]
    if months:
        trend = ", ".join(
            f"{date_format(result.month_start, 'M')} "
            f"{percent_of_target(result.actual, result.target) or 0}%"
            for result in reversed(months)
        )
        lines.append(texts.trend % {"trend": trend})
    mix = [
        f"{label[item.metric]} {amount_text(item.actual, item.unit)}"
        f"/{amount_text(item.target, item.unit)}"
        for item in month.metrics
        if item.target is not None and item.metric != flag.metric.slug
    ]
    if mix:
        lines.append(texts.mix % {"mix": ", ".join(mix)})
    lines.append(texts.diagnosis % {"sentence": diagnosis.sentence()})
    if plan.goals_from == GoalsFrom.TARGETS:
        lines.append(texts.copied_goals)
    if proposed := [goal_text(goal) for goal in goals]:
        lines.append(texts.proposed_goals % {"goals": "; ".join(proposed)})
    for item in action_items:
        lines.append(texts.action_item % {"text": item.text})
    lines.append(texts.agree_goals)
    return lines
