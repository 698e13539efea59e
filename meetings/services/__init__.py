"""Every write about meetings: scheduling, series, notes, action items and feeds.

The pages, the API and the Celery tasks all call these functions. Each takes keyword
arguments, runs in one transaction and raises `ValidationError` with a message a person
can act on. One module per behaviour; the checks they share are in `rules`. Autonomy
levels are in `meetings/autonomy.py`, reminder emails in `meetings/reminders.py`, a rep's
arrival and departure in `meetings/lifecycle.py`.
"""

from meetings.services.busy import external_busy_clear, external_busy_set
from meetings.services.changes import meeting_change
from meetings.services.feeds import (
    feed_token_revoke,
    feed_token_rotate,
    feed_token_turn_on,
)
from meetings.services.meetings import (
    OneOnOneDraft,
    meeting_cancel,
    meeting_schedule,
    meeting_update,
    one_on_ones_book,
)
from meetings.services.notes import (
    action_item_complete,
    action_item_create,
    meeting_record_notes,
)
from meetings.services.rules import MAX_DAYS_AHEAD
from meetings.services.series import series_fill_window, series_generate_occurrences

__all__ = [
    "MAX_DAYS_AHEAD",
    "OneOnOneDraft",
    "action_item_complete",
    "action_item_create",
    "external_busy_clear",
    "external_busy_set",
    "feed_token_revoke",
    "feed_token_rotate",
    "feed_token_turn_on",
    "meeting_cancel",
    "meeting_change",
    "meeting_record_notes",
    "meeting_schedule",
    "meeting_update",
    "one_on_ones_book",
    "series_fill_window",
    "series_generate_occurrences",
]
