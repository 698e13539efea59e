"""Improvement plans: opened with a below-quota flag, closed when the numbers recover.

A plan records the activity goals agreed for the rep (pre-filled from their targets),
asks for a weekly check-in, and books the first one-on-one automatically: inside the
next two of the rep's work days where possible, in both people's work hours, clear of
their other meetings, with the numbers on the agenda.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notify_many
from activities.models import MetricKind
from activities.periods import MONTH, period_bounds
from meetings.autonomy import autonomy_set
from meetings.cadence import level_below
from meetings.calendars import calendar_for
from meetings.models import ImprovementPlan, Meeting, MeetingKind, PlanGoal, PlanStatus
from meetings.selectors import open_action_items_for, time_suggestions_for
from meetings.services import meeting_schedule
from targets.models import Flag, FlagKind, FlagStatus, MonthResult, Target
from targets.review import flag_resolve
from targets.selectors import attainment_for_ranges
from targets.services import target_set

logger = logging.getLogger(__name__)

ONE_ON_ONE_MINUTES = 30
PLAN_REVIEW_DAYS = 60


def plans_open_for_flags(
    *, rep_ids: list[int], now: dt.datetime
) -> list[ImprovementPlan]:
    """Open a plan for each open below-quota flag that has none; return the new plans.

    Idempotent: one plan per flag (a one-to-one key), created in bulk.
    """
    unplanned = Flag.objects.filter(
        rep_id__in=rep_ids,
        kind=FlagKind.BELOW_QUOTA,
        status=FlagStatus.OPEN,
        improvement_plan__isnull=True,
    )
    # A rep already on a plan keeps that one plan: each further month below quota extends
    # it to PLAN_REVIEW_DAYS after that month (the same date however often this runs).
    for flag in unplanned.filter(rep__improvement_plans__status=PlanStatus.OPEN):
        ImprovementPlan.objects.filter(
            rep_id=flag.rep_id,
            status=PlanStatus.OPEN,
            review_until__lt=flag.period_end + dt.timedelta(days=PLAN_REVIEW_DAYS),
        ).update(review_until=flag.period_end + dt.timedelta(days=PLAN_REVIEW_DAYS))
    flags = list(
        unplanned.exclude(rep__improvement_plans__status=PlanStatus.OPEN)
        .order_by("rep_id", "period_start")
        .select_related("rep", "rep__team")
    )
    # One plan per rep, for their earliest unplanned flag.
    flags = list({flag.rep_id: flag for flag in reversed(flags)}.values())
    if not flags:
        return []
    ImprovementPlan.objects.bulk_create(
        [
            ImprovementPlan(
                rep_id=flag.rep_id,
                flag=flag,
                opened_at=now,
                review_until=flag.period_end + dt.timedelta(days=PLAN_REVIEW_DAYS),
                recovery_months=settings.PLAN_RECOVERY_MONTHS,
                check_in_days=7,
            )
            for flag in flags
        ],
        ignore_conflicts=True,
    )
    plans = list(
        ImprovementPlan.objects.filter(flag__in=flags, opened_at=now).select_related(
            "rep", "rep__team", "flag", "flag__metric"
        )
    )
    goals_prefill(plans, now=now)
    for plan in plans:
        autonomy_drop(plan, now=now)
    announce_plans(plans)
    return plans


def goals_prefill(plans: list[ImprovementPlan], *, now: dt.datetime) -> None:
    """Copy each rep's activity targets in force into their plan's goals (two queries)."""
    rep_ids = [plan.rep_id for plan in plans]
    in_force = Target.objects.filter(
        rep_id__in=rep_ids,
        effective_until__isnull=True,
        metric__kind=MetricKind.ACTIVITY,
    )
    plan_of = {plan.rep_id: plan for plan in plans}
    PlanGoal.objects.bulk_create(
        [
            PlanGoal(
                plan=plan_of[target.rep_id],
                metric_id=target.metric_id,
                period=target.period,
                amount=target.amount,
            )
            for target in in_force
        ],
        ignore_conflicts=True,
    )


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
    drafts = []
    for plan in plans:
        url = reverse("meetings:plan", args=[plan.pk])
        title = _("Improvement plan opened for %(rep)s") % {"rep": plan.rep}
        body = _(
            "%(metric)s closed at %(percent)d%% of quota. A one-on-one is being booked "
            "and weekly check-ins follow until the numbers recover."
        ) % {"metric": plan.flag.metric.label, "percent": plan.flag.percent}
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


def agenda_for(plan: ImprovementPlan, *, now: dt.datetime) -> list[str]:
    """The numbers behind the flag, the trend, the activity mix, open action items."""
    flag = plan.flag
    rep = plan.rep
    lines = [
        _("Results for %(month)s: %(metric)s %(actual)s of %(target)s (%(percent)d%%)")
        % {
            "month": flag.period_start.strftime("%Y-%m"),
            "metric": flag.metric.label,
            "actual": flag.actual,
            "target": flag.target,
            "percent": flag.percent,
        }
    ]
    months = list(MonthResult.objects.filter(rep=rep).order_by("-month_start")[:4])
    if months:
        trend = ", ".join(
            f"{result.month_start:%b} {percent_of(result.actual, result.target)}%"
            for result in reversed(months)
        )
        lines.append(_("Trend: %(trend)s") % {"trend": trend})
    month = period_bounds(period=MONTH, on=flag.period_start)
    attainment = attainment_for_ranges(
        reps=[rep], ranges={(rep.pk, "m"): month}, now=now
    )
    mix = [
        f"{item.label} {item.actual:.0f}/{item.target:.0f}"
        for item in attainment[rep.pk, "m"].metrics
        if item.target is not None and item.metric != flag.metric.slug
    ]
    if mix:
        lines.append(_("Activity mix: %(mix)s") % {"mix": ", ".join(mix)})
    for item in open_action_items_for(user=rep)[:5]:
        lines.append(_("Open action item: %(text)s") % {"text": item.text})
    lines.append(_("Agree the activity goals of the improvement plan"))
    return lines


def percent_of(actual: Decimal, target: Decimal | None) -> int:
    return int(actual * 100 / target) if target else 0


def first_slot(rep: User, manager: User, *, now: dt.datetime) -> dt.datetime | None:
    """The first shared free slot, preferring the rep's next two work days."""
    slots = time_suggestions_for(
        people=[rep, manager],
        duration_minutes=ONE_ON_ONE_MINUTES,
        after=now + dt.timedelta(hours=1),
        count=40,
        horizon_days=14,
    )
    if not slots:
        return None
    today = rep.local_date(now)
    work_days, day = [], today
    while len(work_days) < 2:
        day += dt.timedelta(days=1)
        if day.isoweekday() in (rep.work_days or []):
            work_days.append(day)
    soon = [slot for slot in slots if rep.local_date(slot) <= work_days[-1]]
    return (soon or slots)[0]


@transaction.atomic
def plan_book_one_on_one(
    *, plan_id: int, now: dt.datetime | None = None
) -> Meeting | None:
    """Book the plan's one-on-one (once) and send both people the invitation."""
    now = now or timezone.now()
    plan = (
        ImprovementPlan.objects.select_for_update(of=("self",))
        .select_related("rep", "rep__team__manager", "flag", "flag__metric")
        .filter(
            pk=plan_id,
            status=PlanStatus.OPEN,
            meeting__isnull=True,
            rep__is_active=True,
            rep__team__isnull=False,
        )
        .first()
    )
    if plan is None:
        return None
    rep, manager = plan.rep, plan.rep.team.manager
    if not manager.is_active:
        logger.warning("Plan %s: the team's manager is inactive; not booked", plan.pk)
        return None
    starts_at = first_slot(rep, manager, now=now)
    if starts_at is None:
        logger.warning("No shared free time for the plan %s one-on-one", plan.pk)
        plan.booking_failed_at = now
        plan.save(update_fields=["booking_failed_at"])
        return None
    with translation.override(manager.language):
        meeting = meeting_schedule(
            organiser=manager,
            kind=MeetingKind.ONE_ON_ONE,
            title=_("One-on-one: back on track, %(name)s")
            % {"name": rep.first_name or rep},
            starts_at=starts_at,
            duration_minutes=ONE_ON_ONE_MINUTES,
            participants=[rep],
            agenda=agenda_for(plan, now=now),
            now=now,
        )
    plan.meeting = meeting
    plan.save(update_fields=["meeting"])
    transaction.on_commit(lambda: invitation_send(meeting_id=meeting.pk))
    return meeting


def invitation_send(*, meeting_id: int) -> None:
    """Email everyone in the meeting an invitation with the .ics attached."""
    meeting = Meeting.objects.select_related("organiser").get(pk=meeting_id)
    people = {
        person.pk: person for person in [meeting.organiser, *meeting.participants.all()]
    }.values()
    ics = calendar_for([meeting], name=meeting.title)
    for person in people:
        local = meeting.starts_at.astimezone(person.zone)
        with translation.override(person.language):
            message = EmailMessage(
                subject=_("Invitation: %(title)s") % {"title": meeting.title},
                body=_("%(when)s (your time, %(zone)s)\nJoin: %(url)s")
                % {
                    "when": formats.date_format(local, "l j E Y, H:i"),
                    "zone": person.timezone,
                    "url": meeting.video_url,
                },
                to=[person.email],
            )
        message.attach("invite.ics", ics, "text/calendar")
        message.send()


def plans_book_missing(*, now: dt.datetime | None = None) -> int:
    """Book the one-on-one of every open plan still without one (the sweep, a retry)."""
    booked = 0
    for plan_id in plans_awaiting_booking(now=now or timezone.now()).values_list(
        "pk", flat=True
    ):
        booked += plan_book_safely(plan_id=plan_id, now=now)
    return booked


BOOKING_RETRY_AFTER = dt.timedelta(days=1)


def plans_awaiting_booking(*, now: dt.datetime, rep_ids: list[int] | None = None):
    """Open plans without a one-on-one, except those that found no free time lately."""
    plans = ImprovementPlan.objects.filter(
        Q(booking_failed_at__isnull=True)
        | Q(booking_failed_at__lt=now - BOOKING_RETRY_AFTER),
        status=PlanStatus.OPEN,
        meeting__isnull=True,
        rep__is_active=True,
    )
    return plans.filter(rep_id__in=rep_ids) if rep_ids is not None else plans


def plan_book_safely(*, plan_id: int, now: dt.datetime | None = None) -> bool:
    """Book one plan's one-on-one; a plan that cannot be booked never stops the others."""
    try:
        return plan_book_one_on_one(plan_id=plan_id, now=now) is not None
    except ValidationError:
        logger.warning("Plan %s: one-on-one not booked", plan_id, exc_info=True)
        return False


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
    """Close plans whose rep met quota for the plan's number of months in a row."""
    plans = list(
        ImprovementPlan.objects.filter(
            rep_id__in=rep_ids, status=PlanStatus.OPEN
        ).select_related("rep", "rep__team", "flag")
    )
    if not plans:
        return []
    results: dict[int, list[MonthResult]] = {}
    for result in MonthResult.objects.filter(
        rep_id__in=[plan.rep_id for plan in plans]
    ).order_by("month_start"):
        results.setdefault(result.rep_id, []).append(result)
    closed = []
    for plan in plans:
        after = [
            r
            for r in results.get(plan.rep_id, [])
            if r.month_start > plan.flag.period_start
        ]
        recent = after[-plan.recovery_months :]
        if len(recent) == plan.recovery_months and all(r.met for r in recent):
            plan_close(plan=plan, by=None, reason=_("Quota met again."), now=now)
            closed.append(plan)
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
                        url=reverse("meetings:plan", args=[plan.pk]),
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
    """Agree a new activity goal in the plan; it becomes the rep's target from today.

    The rep acknowledges the changed plan (and the new target) again.
    """
    if plan.status != PlanStatus.OPEN:
        raise ValidationError(_("Only an open plan's goals can change."))
    if goal.plan_id != plan.pk:
        raise ValidationError(_("This goal belongs to another plan."))
    goal.amount = amount
    goal.save(update_fields=["amount"])
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
