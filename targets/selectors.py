"""Reads about targets: targets in force (scoped by the viewer), templates, attainment.

Attainment (actual against target) is computed in `targets.attainment`; its public names
are re-exported here, the one place other apps read targets from.
"""

import datetime as dt

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.permissions import records_q
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
    "MetricAttainment",
    "RepAttainment",
    "attainment_for_ranges",
    "attainment_for_rep",
    "attainment_for_reps",
    "attainment_for_team",
    "daily_targets_and_actuals",
    "default_template",
    "percent_of_target",
    "period_bounds",
    "targets_current",
    "targets_for_viewer",
    "team_reps",
]


def targets_for_viewer(viewer: User) -> QuerySet[Target]:
    """Every target (with history) the viewer may see."""
    return Target.objects.filter(records_q(viewer)).select_related(
        "rep", "metric", "set_by"
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
