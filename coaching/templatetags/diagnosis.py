"""A diagnosis' numbers as the sentences write them: percents, calls a day, money."""

from django import template

from coaching.diagnosis import money_text, rate_text
from coaching.models import FunnelStage

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
