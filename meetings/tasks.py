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
