"""Celery tasks for meetings: thin, idempotent wrappers around the services."""

from celery import shared_task
from django.utils import timezone

from meetings import autonomy, lifecycle, reminders, services


@shared_task(name="meetings.generate_occurrences")
def generate_occurrences() -> int:
    """Create recurring meetings up to the horizon (a second run creates nothing)."""
    return services.series_generate_occurrences()


@shared_task(name="meetings.send_reminders")
def send_reminders() -> int:
    """Email the reminders that are due (each person once per meeting)."""
    return reminders.reminders_send_due(now=timezone.now())


@shared_task(name="meetings.review_autonomy")
def review_autonomy() -> int:
    """Promote and demote reps by their results (once per rep and day)."""
    return len(autonomy.autonomy_review())  # each rep judged on their own local date


@shared_task(name="meetings.book_goal_settings")
def book_goal_settings(rep_ids: list[int] | None = None) -> int:
    """Book new reps' goal-setting meetings (all missing ones when no ids are given)."""
    return lifecycle.goal_settings_book(rep_ids=rep_ids)


@shared_task(name="meetings.review_dispatch")
def review_dispatch() -> int:
    """Hourly: split the reps into chunks and queue one review task per chunk."""
    from django.conf import settings

    from meetings.review import chunks
    from targets.review import reps_to_review

    now = timezone.now().isoformat()
    rep_chunks = chunks(reps_to_review(), settings.REVIEW_CHUNK_SIZE)
    for rep_ids in rep_chunks:
        review_chunk.delay(rep_ids, now)
    return len(rep_chunks)


@shared_task(name="meetings.review_chunk", acks_late=True)
def review_chunk(rep_ids: list[int], at: str) -> int:
    """Review one chunk of reps at a fixed instant; safe to run again after a crash."""
    import datetime as dt

    from meetings.review import review_and_follow_up

    summary = review_and_follow_up(rep_ids=rep_ids, now=dt.datetime.fromisoformat(at))
    if summary.plans_to_book:
        book_plan_one_on_ones.delay(summary.plans_to_book)
    return summary.reviewed


@shared_task(name="meetings.book_plan_one_on_ones", acks_late=True)
def book_plan_one_on_ones(plan_ids: list[int]) -> int:
    """Book a review chunk's one-on-ones in one batch; a plan already booked is skipped."""
    from meetings.plans import plans_book_one_on_ones

    return len(plans_book_one_on_ones(plan_ids=plan_ids))


@shared_task(
    name="meetings.one_on_one_invitations",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def one_on_one_invitations_task(plan_ids: list[int]) -> int:
    """Email the invitations of newly booked one-on-ones (each once, see the service)."""
    from meetings.plans import one_on_one_invitations_send

    return one_on_one_invitations_send(plan_ids=plan_ids)


@shared_task(name="meetings.book_missing_plan_one_on_ones")
def book_missing_plan_one_on_ones() -> int:
    """Hourly sweep: any open plan still without its one-on-one gets one (the retry)."""
    from meetings.review import plans_book_missing

    return plans_book_missing()


@shared_task(name="meetings.weekly_digests")
def weekly_digests() -> int:
    """Hourly: the weekly digest reaches each person on their own Monday, once."""
    from meetings.digest import digests_send

    return digests_send()
