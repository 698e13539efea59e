"""A diagnosis' numbers as the sentences write them (percents, calls a day, money),
and a plan's goals."""

from fractions import Fraction

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

from activities.periods import DAY, MONTH, WEEK
from coaching.diagnosis import money_text, rate_text
from coaching.models import FunnelStage
from coaching.services.goals import goal_text

register = template.Library()


@register.filter
def stage_rate(stage: str, rate) -> str:
    """`{{ result.stage|stage_rate:result.team_median }}`: "31 %", "23", "€2,000"."""
    return rate_text(stage, rate)


@register.filter
def stage_label(stage: str) -> str:
    return FunnelStage(stage).label if stage else ""


@register.filter
def money(amount) -> str:
    return "—" if amount is None else money_text(amount)


PERCENT_STAGES = (FunnelStage.CONNECT, FunnelStage.APPOINTMENT, FunnelStage.CLOSE)


@register.filter
def plan_goal_text(goal) -> str:
    """ "Call → connected ≥ 31 %", "Calls: 48 a day" (`coaching.services.goals`)."""
    return goal_text(goal)


@register.filter
def plan_goal_is_percent(goal) -> bool:
    return goal.stage in PERCENT_STAGES


@register.filter
def plan_goal_baseline(goal) -> str:
    """A rate goal's baseline (the rep's own rate when the plan opened) as text."""
    if goal.baseline is None:
        return ""
    rate = Fraction(goal.baseline)
    return rate_text(goal.stage, rate / 100 if goal.stage in PERCENT_STAGES else rate)


@register.filter
def plan_goal_unit(goal) -> str:
    """What the goal's number counts, beside its input."""
    if goal.stage in PERCENT_STAGES:
        return "%"
    if goal.stage == FunnelStage.VOLUME:
        return _("calls a work day")
    if goal.stage == FunnelStage.DEAL_SIZE:
        return settings.COMPANY_CURRENCY
    return {DAY: _("a day"), WEEK: _("a week"), MONTH: _("a month")}.get(
        goal.period, goal.period
    )


@register.filter
def diagnosis_lines(diagnosis, for_rep: bool) -> list[str]:
    """The diagnosis in sentences, to the rep ("you") or to the manager."""
    return diagnosis.sentences(for_rep=bool(for_rep))


@register.filter
def rates_used(required) -> list[tuple[str, object]]:
    """A back-solve's assumptions: (stage, rate) in the funnel's order."""
    return list(required.rates.items()) if required else []


@register.filter
def plan_goal_key(goal) -> str:
    """A goal's name in test ids and anchors: its stage, or its metric's slug."""
    return goal.stage or goal.metric.slug
