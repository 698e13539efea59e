"""Reads about targets: targets in force (scoped by the viewer), templates, attainment.

Attainment (actual against target) is computed in `targets.attainment`; its public names
are re-exported here, the one place other apps read targets from.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import records_q
from activities.models import Metric
from activities.periods import DAY, MONTH, PERIODS, WEEK, period_bounds
from targets.attainment import (
    BEHIND,
    MET,
    NO_TARGET,
    ON_PACE,
    MetricAttainment,
    RepAttainment,
    attainment_for_ranges,
    attainment_for_rep,
    attainment_for_reps,
    attainment_for_team,
    daily_targets_and_actuals,
    percent_of_target,
    team_reps,
)
from targets.models import Target, TargetTemplate

__all__ = [
    "BEHIND",
    "DAY",
    "MET",
    "MONTH",
    "NO_TARGET",
    "ON_PACE",
    "PERIODS",
    "WEEK",
    "AgreementRow",
    "MetricAttainment",
    "RepAttainment",
    "attainment_for_ranges",
    "attainment_for_rep",
    "attainment_for_reps",
    "agreement_rows",
    "attainment_for_team",
    "daily_targets_and_actuals",
    "default_template",
    "percent_of_target",
    "period_bounds",
    "target_changes_with_reason",
    "targets_current",
    "targets_for_viewer",
    "team_reps",
]


def targets_for_viewer(viewer: User) -> QuerySet[Target]:
    """Every target (with history) the viewer may see."""
    return Target.objects.filter(records_q(viewer)).select_related(
        "rep", "metric", "set_by"
    )


def target_changes_with_reason(*, rep: User, limit: int = 10) -> list[Target]:
    """The rep's targets set with a written reason (`targets.proven`), newest first:
    their history of changes someone had to justify (one query)."""
    return list(
        Target.objects.filter(rep=rep)
        .exclude(reason="")
        .select_related("metric", "set_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def targets_current(*, viewer: User, today: dt.date) -> QuerySet[Target]:
    """Targets in force on `today` or later, for the reps the viewer may see."""
    return (
        targets_for_viewer(viewer)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
        .order_by("rep__first_name", "rep__last_name", "metric__sort_order")
    )


def default_template() -> TargetTemplate | None:
    """The template new reps get ("Standard rep" unless an admin chose another)."""
    return TargetTemplate.objects.filter(is_default=True).order_by("name").first()


@dataclass(frozen=True)
class AgreementRow:
    """One line of the "set the targets you agreed" form."""

    metric: Metric
    period: str
    amount: Decimal  # prefilled: the target in force today, else the template's
    template_amount: Decimal | None
    began_today: bool  # the target in force took effect today (day one)


def agreement_rows(*, rep: User, today: dt.date) -> list[AgreementRow]:
    """The default template's metrics and the rep's targets in force today, in two
    queries (three with the template): what a manager and a rep sit down to agree."""
    template = default_template()
    items = (
        {
            item.metric_id: item
            for item in template.items.select_related("metric").filter(
                metric__is_active=True
            )
        }
        if template
        else {}
    )
    in_force = {
        target.metric_id: target
        for target in Target.objects.filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=today),
            rep=rep,
            effective_from__lte=today,
            metric__is_active=True,
        ).select_related("metric")
    }
    rows = []
    for metric_id in [*items, *(pk for pk in in_force if pk not in items)]:
        item, current = items.get(metric_id), in_force.get(metric_id)
        source = current or item
        rows.append(
            AgreementRow(
                metric=source.metric,
                period=source.period,
                amount=source.amount,
                template_amount=item.amount if item else None,
                began_today=bool(current and current.effective_from == today),
            )
        )
    return sorted(rows, key=lambda row: (row.metric.sort_order, row.metric.slug))
