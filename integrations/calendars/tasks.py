"""Celery tasks of the two-way calendars: thin, idempotent wrappers around the sync."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from core.queueing import enqueue
from integrations.calendars import connections, sync
from meetings.models import Meeting

# Healthy calendars are read this often (the periodic task runs more often, so a
# calendar is at most this plus its period out of step with changes made outside).
SYNC_EVERY = dt.timedelta(minutes=10)


@shared_task(name="integrations.calendar_sync")
def calendar_sync(connection_id: int) -> int | None:
    """Sync one person's calendar (a second run finds nothing left to write)."""
    result = sync.calendar_sync(connection_id=connection_id)
    return None if result is None else result.written


@shared_task(name="integrations.calendar_sync_for_meeting")
def calendar_sync_for_meeting(meeting_id: int) -> int:
    """A meeting was booked, moved or cancelled: bring its people's calendars in step.

    Calendars synced since the meeting's last change already hold it, so a series
    booked at once (one event per occurrence) costs one sync per calendar.
    """
    changed_at = (
        Meeting.objects.filter(pk=meeting_id)
        .values_list("updated_at", flat=True)
        .first()
    )
    synced = 0
    for connection_id in connections.connections_for_meeting(
        meeting_id=meeting_id, now=timezone.now(), changed_after=changed_at
    ):
        sync.calendar_sync(connection_id=connection_id)
        synced += 1
    return synced


@shared_task(name="integrations.calendars_sync_due")
def calendars_sync_due() -> int:
    """The periodic sync: queue each calendar that is due (healthy or retrying)."""
    due = connections.connections_due(now=timezone.now(), every=SYNC_EVERY)
    for connection_id in due:
        enqueue(calendar_sync, connection_id)
    return len(due)
