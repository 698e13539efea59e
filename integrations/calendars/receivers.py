"""What the two-way calendars do on domain events (subscribed in the app's ready)."""

from core.queueing import enqueue
from integrations.calendars.connections import any_calendar_connected
from integrations.calendars.tasks import calendar_sync_for_meeting

MEETING_EVENTS = {"meeting.scheduled", "meeting.rescheduled", "meeting.cancelled"}


def meeting_changed(event: str, ids: dict) -> None:
    """Queue a prompt sync of the meeting's people's calendars (after commit, by
    `core.events`; never waiting on the broker, the periodic sync being the retry)."""
    if event in MEETING_EVENTS and any_calendar_connected():
        enqueue(calendar_sync_for_meeting, ids["meeting_id"])
