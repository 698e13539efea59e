"""Improvement plans: opened with a below-quota flag, closed when the numbers recover.

A plan records the activity goals agreed for the rep (pre-filled from their targets),
asks for a weekly check-in, and books the first one-on-one automatically: inside the
next two of the rep's work days where possible, in both people's work hours, clear of
their other meetings, with the numbers on the agenda.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
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
from activities.models import Metric, MetricKind
from activities.periods import MONTH, period_bounds
from meetings.autonomy import autonomy_set
from meetings.availability import Interval, free_slots
from meetings.cadence import level_below
from meetings.calendars import calendar_for
from meetings.models import (
    ImprovementPlan,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PlanGoal,
    PlanStatus,
)
from meetings.selectors import busy_intervals_by_person, open_action_items_by_owner
from meetings.services import OneToOneDraft, one_to_ones_book
from salesteam.mailing import send_claimed
from salesteam.queueing import enqueue_on_commit
from targets.models import Flag, FlagKind, FlagStatus, MonthResult, Target
from targets.review import flag_resolve
from targets.selectors import attainment_for_ranges
from targets.services import target_set

logger = logging.getLogger(__name__)

ONE_ON_ONE_MINUTES = 30
PLAN_REVIEW_DAYS = 60
# Booked at least an hour ahead, within two weeks; the agenda shows four months of trend.
BOOKING_LEAD = dt.timedelta(hours=1)
BOOKING_HORIZON_DAYS = 14
# A plan whose rep and manager share no free time is tried again a day later.
BOOKING_RETRY_AFTER = dt.timedelta(days=1)
TREND_MONTHS = 4
AGENDA_ACTION_ITEMS = 5


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
    ).values_list("rep_id", "metric_id", "period", "amount")
    plan_of = {plan.rep_id: plan for plan in plans}
    PlanGoal.objects.bulk_create(
        [
            PlanGoal(
                plan=plan_of[rep_id], metric_id=metric_id, period=period, amount=amount
            )
            for rep_id, metric_id, period, amount in in_force
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


def agendas_for(
    plans: list[ImprovementPlan], *, now: dt.datetime
) -> dict[int, list[str]]:
    """Each plan's one-on-one agenda: the numbers behind the flag, the trend, the activity
    mix and open action items, in the active language. A fixed number of queries."""
    reps = [plan.rep for plan in plans]
    recent_months: dict[int, list[MonthResult]] = defaultdict(list)
    for result in MonthResult.objects.filter(rep__in=reps).order_by(
        "rep_id", "-month_start"
    ):
        if len(recent_months[result.rep_id]) < TREND_MONTHS:
            recent_months[result.rep_id].append(result)
    metrics = list(Metric.objects.order_by("sort_order", "slug"))
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
    agendas = {}
    for plan in plans:
        flag = plan.flag
        with translation.override(plan.rep.team.manager.language):
            lines = [
                _(
                    "Results for %(month)s: %(metric)s %(actual)s of %(target)s "
                    "(%(percent)d%%)"
                )
                % {
                    "month": flag.period_start.strftime("%Y-%m"),
                    "metric": flag.metric.label,
                    "actual": flag.actual,
                    "target": flag.target,
                    "percent": flag.percent,
                }
            ]
            if months := recent_months[plan.rep_id]:
                trend = ", ".join(
                    f"{result.month_start:%b} {percent_of(result.actual, result.target)}%"
                    for result in reversed(months)
                )
                lines.append(_("Trend: %(trend)s") % {"trend": trend})
            # Labels in the manager's language (attainment's are in the active one).
            label = {metric.slug: metric.label for metric in metrics}
            mix = [
                f"{label[item.metric]} {item.actual:.0f}/{item.target:.0f}"
                for item in attainment[plan.rep_id, "month"].metrics
                if item.target is not None and item.metric != flag.metric.slug
            ]
            if mix:
                lines.append(_("Activity mix: %(mix)s") % {"mix": ", ".join(mix)})
            for item in action_items[plan.rep_id]:
                lines.append(_("Open action item: %(text)s") % {"text": item.text})
            lines.append(_("Agree the activity goals of the improvement plan"))
        agendas[plan.pk] = lines
    return agendas


def percent_of(actual: Decimal, target: Decimal | None) -> int:
    return int(actual * 100 / target) if target else 0


def first_slot(
    rep: User, manager: User, *, now: dt.datetime, busy: list[Interval]
) -> dt.datetime | None:
    """The first shared free slot in the next two weeks.

    The issue asks for a slot within the rep's next two work days where one exists:
    the earliest free slot is exactly that whenever there is one, and the next one
    after otherwise.
    """
    slots = free_slots(
        people=[rep, manager],
        duration_minutes=ONE_ON_ONE_MINUTES,
        after=now + BOOKING_LEAD,
        busy=busy,
        count=1,
        horizon_days=BOOKING_HORIZON_DAYS,
    )
    return slots[0] if slots else None


def plans_book_one_on_ones(
    *, plan_ids: list[int], now: dt.datetime | None = None
) -> list[Meeting]:
    """Book the one-on-one of each of these plans (once) and invite both people.

    One transaction and a fixed number of queries for the whole batch (a review chunk's
    plans): everyone's meetings are read once, and each booking counts as busy for the
    plans after it, so a manager with several plans is never double-booked. A plan whose
    rep and manager share no free time is marked and retried a day later.
    """
    now = now or timezone.now()
    with transaction.atomic():
        plans = list(
            ImprovementPlan.objects.select_for_update(of=("self",))
            .select_related("rep", "rep__team__manager", "flag", "flag__metric")
            .filter(
                pk__in=plan_ids,
                status=PlanStatus.OPEN,
                meeting__isnull=True,
                rep__is_active=True,
                rep__team__isnull=False,
            )
            .order_by("pk")
        )
        # One log line a batch, not a plan: a review of thousands would log hundreds.
        if inactive := [p.pk for p in plans if not p.rep.team.manager.is_active]:
            logger.warning(
                "Plans %s not booked: the team's manager is inactive", inactive
            )
        plans = [plan for plan in plans if plan.rep.team.manager.is_active]
        if not plans:
            return []
        # Batches booking for one manager at once (parallel chunks, workers) would each
        # miss the other's new meeting: each holds its managers' rows until it commits
        # (a no-key lock: rows that merely point at a manager can still be written).
        list(
            User.objects.select_for_update(no_key=True)
            .filter(pk__in={plan.rep.team.manager_id for plan in plans})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        people = [
            person for plan in plans for person in (plan.rep, plan.rep.team.manager)
        ]
        after = now + BOOKING_LEAD
        busy = busy_intervals_by_person(
            people=people,
            start=after,
            end=after + dt.timedelta(days=BOOKING_HORIZON_DAYS + 1),
        )
        slots, unbooked = {}, []
        for plan in plans:
            rep, manager = plan.rep, plan.rep.team.manager
            starts_at = first_slot(
                rep, manager, now=now, busy=busy[rep.pk] + busy[manager.pk]
            )
            if starts_at is None:
                unbooked.append(plan.pk)
                continue
            slots[plan.pk] = starts_at
            meeting_time = (
                starts_at,
                starts_at + dt.timedelta(minutes=ONE_ON_ONE_MINUTES),
            )
            busy[rep.pk].append(meeting_time)
            busy[manager.pk].append(meeting_time)
        if unbooked:
            logger.warning(
                "Plans %s: no shared free time for the one-on-one (retried after %s)",
                unbooked,
                BOOKING_RETRY_AFTER,
            )
        ImprovementPlan.objects.filter(pk__in=unbooked).update(booking_failed_at=now)
        plans = [plan for plan in plans if plan.pk in slots]
        agendas = agendas_for(plans, now=now)
        drafts = []
        for plan in plans:
            with translation.override(plan.rep.team.manager.language):
                title = _("One-on-one: back on track, %(name)s") % {
                    "name": plan.rep.first_name or plan.rep
                }
            drafts.append(
                OneToOneDraft(
                    organiser=plan.rep.team.manager,
                    participant=plan.rep,
                    kind=MeetingKind.ONE_ON_ONE,
                    title=title,
                    starts_at=slots[plan.pk],
                    duration_minutes=ONE_ON_ONE_MINUTES,
                    agenda=tuple(agendas[plan.pk]),
                )
            )
        booked = []
        for plan, meeting in zip(
            plans, one_to_ones_book(drafts=drafts, now=now), strict=True
        ):
            if meeting is not None:
                plan.meeting = meeting
                booked.append(plan)
        ImprovementPlan.objects.bulk_update(booked, ["meeting"])
        if booked:
            from meetings.tasks import one_on_one_invitations_task

            # A broker outage leaves them to the hourly sweep (meetings.review.plans_book_missing).
            enqueue_on_commit(one_on_one_invitations_task, [plan.pk for plan in booked])
    return [plan.meeting for plan in booked]


def one_on_one_invitations_send(*, plan_ids: list[int]) -> int:
    """Email both people of each plan's one-on-one an invitation with the .ics attached.

    Each plan's invitation goes once: the batch is claimed in one conditional UPDATE
    (of two workers only one gets each plan) and read back by its stamp; messages go
    over one connection, and if the mail server cannot be reached or fails midway the
    plans not yet done are released for the retry. A meeting cancelled meanwhile is
    not announced. Returns how many emails went out.
    """
    stamp = timezone.now()
    ImprovementPlan.objects.filter(
        pk__in=plan_ids,
        invitation_sent_at=None,
        meeting__status=MeetingStatus.SCHEDULED,
    ).update(invitation_sent_at=stamp)
    plans = list(
        ImprovementPlan.objects.filter(pk__in=plan_ids, invitation_sent_at=stamp)
        .select_related("meeting__organiser")
        .prefetch_related("meeting__participants")
        .order_by("pk")
    )

    def release(unsent: Sequence[ImprovementPlan]) -> None:
        ImprovementPlan.objects.filter(pk__in=[plan.pk for plan in unsent]).update(
            invitation_sent_at=None
        )

    return send_claimed(
        plans,
        messages_for=lambda plan: invitation_emails(plan.meeting),
        release=release,
    )


def invitation_emails(meeting: Meeting) -> list[EmailMessage]:
    """The meeting's invitations, one a person, each in their language and time."""
    people = {
        person.pk: person for person in [meeting.organiser, *meeting.participants.all()]
    }.values()
    ics = calendar_for([meeting], name=meeting.title)
    messages = []
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
        messages.append(message)
    return messages


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
