"""Booking a plan's first one-on-one: the first free slot both people share.

Inside the next two of the rep's work days where possible, in both people's work hours,
clear of their other meetings, with the numbers on the agenda. A review chunk's plans
are booked as one batch in a fixed number of queries.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from activities.metric_cache import metrics_in_order
from activities.periods import MONTH, period_bounds
from coaching.diagnosis import Diagnosis
from coaching.models import GoalsFrom, ImprovementPlan, PlanGoal, PlanStatus
from coaching.services.goals import goal_text, plan_diagnoses
from core.queueing import enqueue_on_commit
from meetings.availability import Interval, free_slots
from meetings.models import Meeting, MeetingKind
from meetings.selectors import busy_intervals_by_person, open_action_items_by_owner
from meetings.services import OneOnOneDraft, one_on_ones_book
from targets.amounts import amount_text
from targets.attainment import attainment_for_ranges, percent_of_target
from targets.models import Flag, MonthResult

logger = logging.getLogger(__name__)

ONE_ON_ONE_MINUTES = 30
# Booked at least an hour ahead, within two weeks; the agenda shows four months of trend.
BOOKING_LEAD = dt.timedelta(hours=1)
BOOKING_HORIZON_DAYS = 14
# A plan whose rep and manager share no free time is tried again a day later.
BOOKING_RETRY_AFTER = dt.timedelta(days=1)
TREND_MONTHS = 4
AGENDA_ACTION_ITEMS = 5


def agendas_for(
    plans: list[ImprovementPlan],
    *,
    now: dt.datetime,
    diagnoses: dict[int, Diagnosis] | None = None,
) -> dict[int, list[str]]:
    """Each plan's one-on-one agenda: the numbers behind the flag, the trend, the activity
    mix, the diagnosis and the proposed goals, and open action items, in the manager's
    language. A fixed number of queries; `diagnoses` (plan id -> diagnosis) saves
    diagnosing again the plans a caller has just opened."""
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
    diagnoses = dict(diagnoses or {})
    if missing := [plan for plan in plans if plan.pk not in diagnoses]:
        diagnoses |= plan_diagnoses(missing, now=now)
    goals: dict[int, list[PlanGoal]] = defaultdict(list)
    metric_by_id = {metric.pk: metric for metric in metrics}
    for goal in PlanGoal.objects.filter(plan__in=plans):
        if goal.metric_id:
            goal.metric = metric_by_id[goal.metric_id]  # the process's copy, no join
        goals[goal.plan_id].append(goal)
    for plan_goals in goals.values():  # the rate goal first, then activity by metric
        plan_goals.sort(
            key=lambda g: (g.metric_id is not None, g.metric and g.metric.sort_order)
        )
    # Metric labels in each manager's language (attainment's are in the active one).
    labels: dict[str, dict[str, str]] = {}  # language -> metric slug -> label
    agendas = {}
    for plan in plans:
        flag = plan.flag
        language = plan.rep.team.manager.language
        with translation.override(language):
            if language not in labels:
                labels[language] = {metric.slug: metric.label for metric in metrics}
            label = labels[language]
            lines = [
                _(
                    "Results for %(month)s: %(metric)s %(actual)s of %(target)s "
                    "(%(percent)d%%)"
                )
                % {
                    "month": date_format(flag.period_start, "YEAR_MONTH_FORMAT"),
                    "metric": flag.metric.label,
                    "actual": amount_text(flag.actual, flag.metric.unit),
                    "target": amount_text(flag.target, flag.metric.unit),
                    "percent": flag.percent,
                }
            ]
            if months := recent_months[plan.rep_id]:
                trend = ", ".join(
                    f"{date_format(result.month_start, 'M')} "
                    f"{percent_of_target(result.actual, result.target) or 0}%"
                    for result in reversed(months)
                )
                lines.append(_("Trend: %(trend)s") % {"trend": trend})
            mix = [
                f"{label[item.metric]} {amount_text(item.actual, item.unit)}"
                f"/{amount_text(item.target, item.unit)}"
                for item in attainment[plan.rep_id, "month"].metrics
                if item.target is not None and item.metric != flag.metric.slug
            ]
            if mix:
                lines.append(_("Activity mix: %(mix)s") % {"mix": ", ".join(mix)})
            lines.append(
                _("Diagnosis: %(sentence)s")
                % {"sentence": diagnoses[plan.pk].sentence()}
            )
            if plan.goals_from == GoalsFrom.TARGETS:
                lines.append(
                    _(
                        "Too little data to propose goals: they are copies of the "
                        "activity targets."
                    )
                )
            if proposed := [goal_text(goal) for goal in goals[plan.pk]]:
                lines.append(
                    _("Proposed goals: %(goals)s") % {"goals": "; ".join(proposed)}
                )
            for item in action_items[plan.rep_id]:
                lines.append(_("Open action item: %(text)s") % {"text": item.text})
            lines.append(_("Agree the activity goals of the improvement plan"))
        agendas[plan.pk] = lines
    return agendas


def first_slot(
    *, rep: User, manager: User, now: dt.datetime, busy: list[Interval]
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
    *,
    plan_ids: list[int],
    now: dt.datetime | None = None,
    diagnoses: dict[int, Diagnosis] | None = None,
) -> list[Meeting]:
    """Book the one-on-one of each of these plans (once) and invite both people.

    One transaction and a fixed number of queries for the whole batch (a review chunk's
    plans): everyone's meetings are read once, and each booking counts as busy for the
    plans after it, so a manager with several plans is never double-booked. A plan whose
    rep and manager share no free time is marked and retried a day later.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # The flags are read on their own, by id: joined here, a planner whose
        # statistics predate the review's new flags and plans (taken before the run,
        # autovacuum not yet round) scanned every plan once per flag, tens of seconds
        # a batch at 10,000 reps (docs/performance.md, "Re-measured after the merge").
        plans = list(
            ImprovementPlan.objects.select_for_update(of=("self",))
            .select_related("rep", "rep__team__manager")
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
        flags = Flag.objects.select_related("metric").in_bulk(
            [plan.flag_id for plan in plans]
        )
        for plan in plans:
            plan.flag = flags[plan.flag_id]
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
                rep=rep, manager=manager, now=now, busy=busy[rep.pk] + busy[manager.pk]
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
        agendas = agendas_for(plans, now=now, diagnoses=diagnoses)
        drafts = []
        for plan in plans:
            with translation.override(plan.rep.team.manager.language):
                title = _("One-on-one: back on track, %(name)s") % {
                    "name": plan.rep.first_name or plan.rep
                }
            drafts.append(
                OneOnOneDraft(
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
            plans, one_on_ones_book(drafts=drafts, now=now), strict=True
        ):
            if meeting is not None:
                plan.meeting = meeting
                booked.append(plan)
        ImprovementPlan.objects.bulk_update(booked, ["meeting"])
        if booked:
            from coaching.tasks import one_on_one_invitations_task

            # A broker outage leaves them to the hourly sweep (review.plans_book_missing).
            enqueue_on_commit(one_on_one_invitations_task, [plan.pk for plan in booked])
    return [plan.meeting for plan in booked]


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
