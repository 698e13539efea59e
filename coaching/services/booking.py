"""Booking a plan's first one-on-one: the first free slot both people share.

Inside the next two of the rep's work days where possible, in both people's work hours,
clear of their other meetings, with the numbers on the agenda. A review chunk's plans
are booked as one batch in a fixed number of queries.
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from coaching.models import ImprovementPlan, PlanStatus
from coaching.services.agenda import agendas_for
from coaching.services.goals import Prefill
from core.queueing import enqueue_on_commit
from meetings.availability import Interval, free_slots
from meetings.models import Meeting, MeetingKind
from meetings.selectors import busy_intervals_by_person
from meetings.services import OneOnOneDraft, one_on_ones_book
from targets.models import Flag

logger = logging.getLogger(__name__)

ONE_ON_ONE_MINUTES = 30
# Booked at least an hour ahead, within two weeks.
BOOKING_LEAD = dt.timedelta(hours=1)
BOOKING_HORIZON_DAYS = 14
# A plan whose rep and manager share no free time is tried again a day later.
BOOKING_RETRY_AFTER = dt.timedelta(days=1)


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
    prefills: dict[int, Prefill] | None = None,
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
        agendas = agendas_for(plans, now=now, prefills=prefills)
        titles: dict[str, str] = {}  # language -> the title, translated once
        drafts = []
        for plan in plans:
            language = plan.rep.team.manager.language
            if language not in titles:
                with translation.override(language):
                    titles[language] = _("One-on-one: back on track, %(name)s")
            title = titles[language] % {"name": plan.rep.first_name or plan.rep}
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
