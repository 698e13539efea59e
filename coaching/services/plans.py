"""Improvement plans: opened with a below-quota flag, closed when the numbers recover.

A plan records the goals agreed for the rep, pre-filled from the diagnosis of the month
that opened it (the constraint stage's rate goal and the activity that reaches the next
quota) or, with too little data, copied from their activity targets; it asks for a
weekly check-in, and `coaching.services.booking` books its first one-on-one.
"""

import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notify_many
from activities.metric_cache import metrics_in_order
from coaching.models import FunnelStage, ImprovementPlan, PlanGoal, PlanStatus
from coaching.services.goals import flag_diagnoses, goals_from, goals_prefill
from core.events import publish, publish_many
from core.sql import insert_new
from meetings.autonomy import autonomy_set
from meetings.cadence import level_below
from targets.models import Flag, FlagKind, FlagStatus, MonthResult
from targets.services import flag_resolve, target_set

logger = logging.getLogger(__name__)

PLAN_REVIEW_DAYS = 60


def plans_open_for_flags(
    *, rep_ids: list[int], now: dt.datetime
) -> list[ImprovementPlan]:
    """Open a plan for each open below-quota flag that has none; return the new plans.

    Idempotent: one plan per flag (a unique key), created in bulk.
    """
    unplanned = Flag.objects.filter(
        rep_id__in=rep_ids,
        kind=FlagKind.BELOW_QUOTA,
        status=FlagStatus.OPEN,
        improvement_plan__isnull=True,
    )
    # A rep already on a plan keeps that one plan: each further month below quota extends
    # it to PLAN_REVIEW_DAYS after that month (the same date however often this runs).
    # One update per review date (the reps' closed months end on a day or two), not per
    # rep, so a chunk's queries do not grow with reps below quota again.
    extend: dict[dt.date, set[int]] = defaultdict(set)
    for rep_id, period_end in unplanned.filter(
        rep__improvement_plans__status=PlanStatus.OPEN
    ).values_list("rep_id", "period_end"):
        extend[period_end + dt.timedelta(days=PLAN_REVIEW_DAYS)].add(rep_id)
    for until, extended_reps in extend.items():
        ImprovementPlan.objects.filter(
            rep_id__in=extended_reps, status=PlanStatus.OPEN, review_until__lt=until
        ).update(review_until=until)
    flags = list(
        unplanned.exclude(rep__improvement_plans__status=PlanStatus.OPEN)
        .order_by("rep_id", "period_start")
        .select_related("rep", "rep__team")
    )
    # One plan per rep, for their earliest unplanned flag.
    flags = list({flag.rep_id: flag for flag in reversed(flags)}.values())
    if not flags:
        return []
    diagnoses = flag_diagnoses(flags, now=now)
    # A flag's one plan: a concurrent run's plan for it is skipped, not doubled.
    plans = insert_new(
        [
            ImprovementPlan(
                rep=flag.rep,
                flag=flag,
                opened_at=now,
                review_until=flag.period_end + dt.timedelta(days=PLAN_REVIEW_DAYS),
                recovery_months=settings.PLAN_RECOVERY_MONTHS,
                check_in_days=7,
                goals_from=goals_from(diagnoses[flag.pk]),
            )
            for flag in flags
        ],
        key=("flag",),
    )
    prefills = goals_prefill(
        plans, diagnoses={plan.pk: diagnoses[plan.flag_id] for plan in plans}
    )
    for plan in plans:
        # Kept on the plan for the one-on-one's agenda when it is booked in-process.
        plan.prefill = prefills[plan.pk]
        autonomy_drop(plan, now=now)
    publish_many("plan.opened", ({"plan_id": plan.pk} for plan in plans))
    announce_plans(plans)
    return plans


def autonomy_drop(plan: ImprovementPlan, *, now: dt.datetime) -> None:
    """On a plan, a rep is watched more closely again: one autonomy level down."""
    lower = level_below(plan.rep.autonomy_level)
    if lower is None:
        return
    try:
        autonomy_set(
            rep=plan.rep,
            to_level=lower,
            reason=_("Improvement plan opened after a month below quota."),
            now=now,
        )
    except ValidationError:
        logger.info("Autonomy of rep %s unchanged on plan %s", plan.rep_id, plan.pk)


def announce_plans(plans: list[ImprovementPlan]) -> None:
    # Translated once, not once a plan (a review chunk opens hundreds).
    title_text = _("Improvement plan opened for %(rep)s")
    body_text = _(
        "%(metric)s closed at %(percent)d%% of quota. A one-on-one is being booked "
        "and weekly check-ins follow until the numbers recover."
    )
    labels = {metric.pk: metric.label for metric in metrics_in_order()}
    drafts = []
    for plan in plans:
        url = reverse("coaching:plan", args=[plan.pk])
        title = title_text % {"rep": plan.rep}
        body = body_text % {
            "metric": labels[plan.flag.metric_id],
            "percent": plan.flag.percent,
        }
        drafts.append(
            Notification(
                user_id=plan.rep_id,
                key=f"plan:{plan.pk}",
                kind="plan.opened",
                title=title,
                body=body,
                url=url,
            )
        )
        drafts.append(
            Notification(
                user_id=plan.rep.team.manager_id,
                key=f"plan:{plan.pk}",
                kind="plan.opened",
                title=title,
                body=body,
                url=url,
            )
        )
    notify_many(drafts)


def plans_close_for_leaver(*, user: User) -> int:
    """A deactivated rep's open plans close (the history stays)."""
    closed = 0
    for plan in ImprovementPlan.objects.filter(
        rep=user, status=PlanStatus.OPEN
    ).select_related("flag"):
        plan_close(plan=plan, by=None, reason=_("The rep left the team."))
        closed += 1
    return closed


def plans_close_recovered(
    *, rep_ids: list[int], now: dt.datetime
) -> list[ImprovementPlan]:
    """Close plans whose rep met quota for the plan's number of months in a row.

    The open plans and the month results are read as plain values (a review chunk holds
    hundreds of open plans, most just opened); only the plans that close are loaded.
    """
    open_plans = list(
        ImprovementPlan.objects.filter(
            rep_id__in=rep_ids, status=PlanStatus.OPEN
        ).values_list("pk", "rep_id", "recovery_months", "flag__period_start")
    )
    if not open_plans:
        return []
    results: dict[int, list[tuple[dt.date, bool]]] = defaultdict(list)
    for rep_id, month_start, met in (
        MonthResult.objects.filter(rep_id__in={plan[1] for plan in open_plans})
        .order_by("month_start")
        .values_list("rep_id", "month_start", "met")
    ):
        results[rep_id].append((month_start, met))
    recovered = []
    for plan_id, rep_id, recovery_months, flagged_month in open_plans:
        after = [met for month, met in results[rep_id] if month > flagged_month]
        recent = after[-recovery_months:]
        if len(recent) == recovery_months and all(recent):
            recovered.append(plan_id)
    if not recovered:
        return []
    closed = list(
        ImprovementPlan.objects.filter(pk__in=recovered)
        .select_related("rep", "rep__team", "flag")
        .order_by("pk")
    )
    for plan in closed:
        plan_close(plan=plan, by=None, reason=_("Quota met again."), now=now)
    if closed:
        drafts = []
        for plan in closed:
            title = _("Improvement plan closed: %(rep)s is back on quota") % {
                "rep": plan.rep
            }
            for user_id in (plan.rep_id, plan.rep.team.manager_id):
                drafts.append(
                    Notification(
                        user_id=user_id,
                        key=f"plan-closed:{plan.pk}",
                        kind="plan.closed",
                        title=title,
                        body=_("Well done."),
                        url=reverse("coaching:plan", args=[plan.pk]),
                    )
                )
        notify_many(drafts)
    return closed


@transaction.atomic
def plan_close(
    *,
    plan: ImprovementPlan,
    by: User | None,
    reason: str,
    now: dt.datetime | None = None,
) -> ImprovementPlan:
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("This plan is already closed."))
    plan.status = PlanStatus.CLOSED
    plan.closed_at = now or timezone.now()
    plan.close_reason = (reason or "").strip()[:200] or _("Closed by the manager.")
    plan.save(update_fields=["status", "closed_at", "close_reason"])
    publish("plan.closed", plan_id=plan.pk)
    flag_resolve(flag=plan.flag)
    # Later months below quota that this plan covered are settled with it.
    Flag.objects.filter(
        rep_id=plan.rep_id, kind=FlagKind.BELOW_QUOTA, status=FlagStatus.OPEN
    ).update(status=FlagStatus.RESOLVED, resolved_at=plan.closed_at)
    return plan


@transaction.atomic
def plan_extend(*, plan: ImprovementPlan, until: dt.date) -> ImprovementPlan:
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("Only an open plan can be extended."))
    if until <= plan.review_until:
        raise ValidationError(
            {"until": _("Pick a date after %(date)s.") % {"date": plan.review_until}}
        )
    plan.review_until = until
    plan.save(update_fields=["review_until"])
    return plan


@transaction.atomic
def plan_goal_set(
    *, plan: ImprovementPlan, goal: PlanGoal, amount: Decimal, by: User
) -> PlanGoal:
    """Agree a new goal in the plan; an activity goal becomes the rep's target from
    today, a rate goal stays the plan's (a percent at most 100 for the conversions).

    The rep acknowledges the changed plan (and the new target) again.
    """
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("Only an open plan's goals can change."))
    if goal.plan_id != plan.pk:
        raise ValidationError(_("This goal belongs to another plan."))
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("A goal must be more than zero.")]})
    percent_stages = (FunnelStage.CONNECT, FunnelStage.APPOINTMENT, FunnelStage.CLOSE)
    if goal.stage in percent_stages and amount > 100:
        raise ValidationError({"amount": [_("A rate goal is a percent: 100 at most.")]})
    goal.amount = amount
    goal.save(update_fields=["amount"])
    if goal.is_rate:
        plan.acknowledged_at = None
        plan.save(update_fields=["acknowledged_at"])
        return goal
    target_set(
        rep=plan.rep,
        metric=goal.metric,
        period=goal.period,
        amount=amount,
        effective_from=plan.rep.local_date(),
        by=by,
        note=_("Agreed in the improvement plan."),
    )
    plan.acknowledged_at = None
    plan.save(update_fields=["acknowledged_at"])
    return goal


@transaction.atomic
def plan_acknowledge(*, plan: ImprovementPlan, rep: User) -> ImprovementPlan:
    if plan.rep_id != rep.pk:
        raise ValidationError(_("Only the rep acknowledges their plan."))
    if plan.acknowledged_at is None:
        plan.acknowledged_at = timezone.now()
        plan.save(update_fields=["acknowledged_at"])
    return plan
