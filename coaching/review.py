"""The results review, end to end: judge closed periods, then follow up.

`targets.review` raises flags and praise; this layer (which may use every app) opens
improvement plans for below-quota flags, books their one-on-ones and closes plans whose
rep recovered. Work is chunked (REVIEW_CHUNK_SIZE reps, one transaction each) and every
step is idempotent, so a chunk run twice, or again after a crash, changes nothing.
"""

import datetime as dt
import logging
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from coaching.models import ImprovementPlan
from coaching.services.booking import plans_awaiting_booking, plans_book_one_on_ones
from coaching.services.invitations import one_on_one_invitations_send
from coaching.services.plans import plans_close_recovered, plans_open_for_flags
from core.memory import collection_paused, freeze_loaded_objects
from meetings.models import MeetingStatus
from targets.review import ReviewOutcome, reps_to_review, review_chunk

logger = logging.getLogger(__name__)


@dataclass
class ReviewSummary:
    reviewed: int = 0
    flags: int = 0
    kudos: int = 0
    plans_opened: list[int] = field(default_factory=list)
    plans_to_book: list[int] = field(default_factory=list)
    plans_closed: int = 0
    meetings_booked: int = 0
    # Plan id -> what it was opened with (`goals.Prefill`), for booking in the same
    # process (never sent between processes: the booking clears it).
    prefills: dict = field(default_factory=dict, repr=False)


def chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]


@collection_paused()
@transaction.atomic
def review_and_follow_up(*, rep_ids: list[int], now: dt.datetime) -> ReviewSummary:
    """One chunk: review, open plans for new below-quota flags, close recovered plans."""
    outcome: ReviewOutcome = review_chunk(rep_ids=rep_ids, now=now)
    opened = plans_open_for_flags(rep_ids=rep_ids, now=now)
    closed = plans_close_recovered(rep_ids=rep_ids, now=now)
    # New plans and any whose booking was lost (a crash after commit) get booked.
    to_book = list(
        plans_awaiting_booking(now=now, rep_ids=rep_ids).values_list("pk", flat=True)
    )
    return ReviewSummary(
        reviewed=outcome.reviewed,
        flags=len(outcome.flags),
        kudos=len(outcome.kudos),
        plans_opened=[plan.pk for plan in opened],
        plans_to_book=to_book,
        plans_closed=len(closed),
        prefills={plan.pk: plan.prefill for plan in opened},
    )


def plans_book_missing(*, now: dt.datetime | None = None) -> int:
    """The hourly sweep (a retry), chunk by chunk: book the one-on-one of every open plan
    still without one, and send the invitations a broker outage kept from going out."""
    now = now or timezone.now()
    size = settings.REVIEW_CHUNK_SIZE
    awaiting = list(plans_awaiting_booking(now=now).values_list("pk", flat=True))
    booked = sum(
        len(plans_book_one_on_ones(plan_ids=plan_ids, now=now))
        for plan_ids in chunks(awaiting, size)
    )
    uninvited = list(
        ImprovementPlan.objects.filter(
            invitation_sent_at=None,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__starts_at__gt=now,
        ).values_list("pk", flat=True)
    )
    for plan_ids in chunks(uninvited, size):
        try:
            one_on_one_invitations_send(plan_ids=plan_ids)
        except Exception:  # the mail server: the next sweep tries again
            logger.exception("One-on-one invitations not sent; retried next hour")
    return booked


@collection_paused()
def review_and_book(*, rep_ids: list[int], now: dt.datetime) -> ReviewSummary:
    """One chunk as `run_review` does it: the review, then its one-on-ones in a batch."""
    summary = review_and_follow_up(rep_ids=rep_ids, now=now)
    if summary.plans_to_book:
        booked = plans_book_one_on_ones(
            plan_ids=summary.plans_to_book, now=now, prefills=summary.prefills
        )
        summary.meetings_booked = len(booked)
    summary.prefills = {}
    return summary


def review_run(
    *,
    now: dt.datetime | None = None,
    chunk_size: int | None = None,
    processes: int = 1,
) -> ReviewSummary:
    """Review every rep synchronously (the `run_review` command), chunk by chunk.

    With `processes` > 1 the chunks are shared among that many processes (PostgreSQL
    only), as Celery workers share them in production; chunks hold disjoint reps and
    every write is idempotent, so the outcome is the same as one process's.
    """
    now = now or timezone.now()
    rep_chunks = chunks(reps_to_review(), chunk_size or settings.REVIEW_CHUNK_SIZE)
    # Forked processes inherit the frozen heap too.
    freeze_loaded_objects()
    if processes > 1 and len(rep_chunks) > 1:
        summaries = _in_processes(rep_chunks, now=now, processes=processes)
    else:
        summaries = (review_and_book(rep_ids=ids, now=now) for ids in rep_chunks)
    total = ReviewSummary()
    for summary in summaries:
        total.reviewed += summary.reviewed
        total.flags += summary.flags
        total.kudos += summary.kudos
        total.plans_opened += summary.plans_opened
        total.plans_closed += summary.plans_closed
        total.meetings_booked += summary.meetings_booked
    return total


def _review_and_book_chunk(rep_ids: list[int], now: dt.datetime) -> ReviewSummary:
    return review_and_book(rep_ids=rep_ids, now=now)


def _in_processes(
    rep_chunks: list[list[int]], *, now: dt.datetime, processes: int
) -> Iterator[ReviewSummary]:
    if connection.vendor != "postgresql":
        raise ValueError("Reviewing in several processes needs PostgreSQL.")
    # Forked processes must not share this process's database connection; they do
    # share what is loaded (and frozen, see review_run) before the fork.
    connections.close_all()
    with ProcessPoolExecutor(
        max_workers=processes, mp_context=multiprocessing.get_context("fork")
    ) as pool:
        yield from pool.map(_review_and_book_chunk, rep_chunks, repeat(now))
