"""What Salesteam writes into a person's calendar: one iCalendar object per UID.

The shape is the owner's (`meetings.calendars`: `calendar_for`, `series_events`,
`meeting_uid` / `series_uid`), and the meetings are the person's feed
(`meetings.calendar_reads.feed_meetings_for`), so the two-way calendar and the iCal
feed never disagree: a meeting on its own is one object, a series one object with its
RRULE, its overrides and EXDATEs; a cancelled meeting is STATUS:CANCELLED.
"""

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass

from accounts.models import User
from integrations.models import LinkKind
from meetings import calendar_reads, calendars


@dataclass(frozen=True)
class Document:
    uid: str
    kind: str
    object_id: int
    ical: bytes

    @property
    def content_hash(self) -> str:
        """What was written, less DTSTAMP (the time of writing, not of the meeting)."""
        lines = [
            line for line in self.ical.splitlines() if not line.startswith(b"DTSTAMP")
        ]
        return hashlib.sha256(b"\n".join(lines)).hexdigest()


def documents_for(*, person: User, now: dt.datetime) -> dict[str, Document]:
    """The person's meetings as calendar objects, by UID (two queries)."""
    singles, by_series = [], defaultdict(list)
    for meeting in calendar_reads.feed_meetings_for(user=person, now=now):
        if meeting.series_id and meeting.series_slot:
            by_series[meeting.series_id].append(meeting)
        else:
            singles.append(meeting)
    documents = {}
    for meeting in singles:
        uid = calendars.meeting_uid(meeting)
        documents[uid] = Document(
            uid=uid,
            kind=LinkKind.MEETING,
            object_id=meeting.pk,
            ical=calendars.calendar_for([meeting]),
        )
    known_from = calendar_reads.feed_window_start(now=now)
    for series_id, occurrences in by_series.items():
        uid = calendars.series_uid(occurrences[0].series)
        documents[uid] = Document(
            uid=uid,
            kind=LinkKind.SERIES,
            object_id=series_id,
            ical=calendars.calendar_for(occurrences, known_from=known_from),
        )
    return documents


def is_own_uid(uid: str) -> bool:
    """Is this one of Salesteam's UIDs (`meeting_uid` / `series_uid` of this site)?"""
    host = re.escape(calendars.uid_host())
    return re.fullmatch(rf"(meeting|series)-\d+@{host}", uid) is not None
