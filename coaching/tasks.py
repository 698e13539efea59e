"""Celery tasks of the review and its follow-up: thin, idempotent wrappers."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from coaching.digest import digests_send
from coaching.review import chunks, plans_book_missing, review_and_follow_up
from coaching.services.booking import plans_book_one_on_ones
from coaching.services.invitations import one_on_one_invitations_send
from targets.review import reps_to_review


@shared_task(name="coaching.review_dispatch")
def review_dispatch() -> int:
    """Hourly: split the reps into chunks and queue one review task per chunk."""
    now = timezone.now().isoformat()
    rep_chunks = chunks(reps_to_review(), settings.REVIEW_CHUNK_SIZE)
    for rep_ids in rep_chunks:
        review_chunk.delay(rep_ids, now)
    return len(rep_chunks)


@shared_task(name="coaching.review_chunk", acks_late=True)
def review_chunk(rep_ids: list[int], at: str) -> int:
    """Review one chunk of reps at a fixed instant; safe to run again after a crash."""
    summary = review_and_follow_up(rep_ids=rep_ids, now=dt.datetime.fromisoformat(at))
    if summary.plans_to_book:
        book_plan_one_on_ones.delay(summary.plans_to_book)
    return summary.reviewed


@shared_task(name="coaching.book_plan_one_on_ones", acks_late=True)
def book_plan_one_on_ones(plan_ids: list[int]) -> int:
    """Book a review chunk's one-on-ones in one batch; a plan already booked is skipped."""
    return len(plans_book_one_on_ones(plan_ids=plan_ids))


@shared_task(
    name="coaching.one_on_one_invitations",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def one_on_one_invitations_task(plan_ids: list[int]) -> int:
    """Email the invitations of newly booked one-on-ones (each once, see the service)."""
    return one_on_one_invitations_send(plan_ids=plan_ids)


@shared_task(name="coaching.book_missing_plan_one_on_ones")
def book_missing_plan_one_on_ones() -> int:
    """Hourly sweep: any open plan still without its one-on-one gets one (the retry)."""
    return plans_book_missing()


@shared_task(name="coaching.weekly_digests")
def weekly_digests() -> int:
    """Hourly: the weekly digest reaches each person on their own Monday, once."""
    return digests_send()
