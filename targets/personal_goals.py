"""A rep's personal goals above their agreed targets: setting, sharing, reading, progress.

The rep sets, changes and removes their own; their manager (and an admin) sees one only
while the rep shares it. A goal is in the same period as the agreed target it goes
beyond, so "above" needs no conversion: its amount must exceed the target in force
today, in the rep's calendar.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import records_q
from activities.models import Metric
from activities.periods import PERIOD_CHOICES
from targets.amounts import amount_text
from targets.attainment import RepAttainment, percent_of_target
from targets.models import PersonalGoal, Target
from targets.services import count_amount_errors


def _target_in_force(*, rep: User, metric: Metric, today: dt.date) -> Target | None:
    return (
        Target.objects.filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=today),
            rep=rep,
            metric=metric,
            effective_from__lte=today,
        )
        .order_by("-effective_from")
        .first()
    )


def _check_above_target(
    *, rep: User, metric: Metric, period: str, amount: Decimal, today: dt.date
) -> None:
    """A goal goes above the agreed target in force today, in the target's period."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("Enter an amount above zero.")]})
    if whole_errors := count_amount_errors(metric, amount):
        raise ValidationError({"amount": whole_errors})
    target = _target_in_force(rep=rep, metric=metric, today=today)
    if target is None:
        raise ValidationError(
            {
                "metric": [
                    _(
                        "There is no agreed target for %(metric)s yet: a personal "
                        "goal goes beyond one."
                    )
                    % {"metric": metric.label}
                ]
            }
        )
    periods = dict(PERIOD_CHOICES)
    if target.period != period:
        raise ValidationError(
            {
                "period": [
                    _(
                        "Your agreed target for %(metric)s is per %(period)s: set "
                        "your goal per %(period)s too."
                    )
                    % {
                        "metric": metric.label,
                        "period": str(periods[target.period]).lower(),
                    }
                ]
            }
        )
    if amount <= target.amount:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "Your agreed target is %(target)s %(metric)s per %(period)s: "
                        "aim above it."
                    )
                    % {
                        "target": amount_text(target.amount, metric.unit),
                        "metric": metric.label,
                        "period": str(periods[period]).lower(),
                    }
                ]
            }
        )


@transaction.atomic
def personal_goal_set(
    *,
    rep: User,
    metric: Metric,
    period: str,
    amount: Decimal,
    shared: bool = False,
    now: dt.datetime | None = None,
) -> PersonalGoal:
    """Set the rep's goal for this metric and period (creating or replacing it)."""
    if period not in dict(PERIOD_CHOICES):
        raise ValidationError({"period": [_("Choose a day, a week or a month.")]})
    today = rep.local_date(now or timezone.now())
    _check_above_target(
        rep=rep, metric=metric, period=period, amount=amount, today=today
    )
    goal, _created = PersonalGoal.objects.update_or_create(
        rep=rep,
        metric=metric,
        period=period,
        defaults={"amount": amount, "shared": shared},
    )
    return goal


@transaction.atomic
def personal_goal_update(
    *,
    goal: PersonalGoal,
    amount: Decimal | None = None,
    shared: bool | None = None,
    now: dt.datetime | None = None,
) -> PersonalGoal:
    """Change a goal's amount (still above the target) or whether it is shared."""
    if amount is not None:
        today = goal.rep.local_date(now or timezone.now())
        _check_above_target(
            rep=goal.rep,
            metric=goal.metric,
            period=goal.period,
            amount=amount,
            today=today,
        )
        goal.amount = amount
    if shared is not None:
        goal.shared = shared
    goal.save(update_fields=["amount", "shared", "updated_at"])
    return goal


def personal_goal_delete(*, goal: PersonalGoal) -> None:
    """Remove a goal: it is the rep's own wish, not a record of what was agreed."""
    goal.delete()


def personal_goals_visible_to(viewer: User) -> QuerySet[PersonalGoal]:
    """The viewer's own goals, and the shared goals of the people they may see."""
    return PersonalGoal.objects.filter(
        Q(rep=viewer) | (Q(shared=True) & records_q(viewer))
    ).select_related("metric")


def personal_goals_for(*, viewer: User, rep: User) -> QuerySet[PersonalGoal]:
    """One rep's goals as the viewer may see them: all their own, else the shared."""
    goals = PersonalGoal.objects.filter(rep=rep).select_related("metric")
    if viewer.pk != rep.pk:
        goals = goals.filter(shared=True)
    return goals.order_by("metric__sort_order", "metric__slug", "period")


def goal_metric_choices(
    *, history: list[Target], today: dt.date
) -> list[tuple[str, str]]:
    """(slug, "Calls (agreed: 25 per day)") for each metric with a target in force
    today, from the target history already read for the page."""
    periods = dict(PERIOD_CHOICES)
    return [
        (
            target.metric.slug,
            _("%(metric)s (agreed: %(amount)s per %(period)s)")
            % {
                "metric": target.metric.label,
                "amount": amount_text(target.amount, target.metric.unit),
                "period": str(periods[target.period]).lower(),
            },
        )
        for target in targets_in_force(history=history, today=today)
    ]


def targets_in_force(*, history: list[Target], today: dt.date) -> list[Target]:
    """The targets of a history (already read for the page) in force today."""
    return [
        target
        for target in history
        if target.effective_from <= today
        and (target.effective_until is None or target.effective_until >= today)
    ]


def agreed_period(*, history: list[Target], today: dt.date, slug: str) -> str | None:
    """The period of the metric's target in force today: the one a goal may have."""
    return next(
        (
            target.period
            for target in targets_in_force(history=history, today=today)
            if target.metric.slug == slug
        ),
        None,
    )


@dataclass(frozen=True)
class GoalProgress:
    goal: PersonalGoal
    actual: Decimal  # this day, week or month so far, in the rep's calendar
    percent: int | None

    @property
    def bar_percent(self) -> int:
        return min(self.percent or 0, 100)

    @property
    def reached(self) -> bool:
        return self.actual >= self.goal.amount


def goals_progress(
    *, goals: list[PersonalGoal], running: dict[str, RepAttainment]
) -> list[GoalProgress]:
    """Each goal against the running day, week or month's actual (already read)."""
    progress = []
    for goal in goals:
        attainment = running.get(goal.period)
        item = attainment.for_metric(goal.metric.slug) if attainment else None
        actual = item.actual if item else Decimal(0)
        progress.append(
            GoalProgress(
                goal=goal, actual=actual, percent=percent_of_target(actual, goal.amount)
            )
        )
    return progress
