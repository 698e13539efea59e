"""iCalendar output: one meeting as an .ics file, or a person's whole feed.

Built with `icalendar`. Each event's UID is derived from the meeting's id and the site, so
it never changes between downloads; DTSTART carries the organiser's TZID with a matching
VTIMEZONE; URL and LOCATION are the video link; a cancelled meeting is STATUS:CANCELLED
(calendar apps then strike it out instead of keeping a stale entry).
"""

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from meetings.models import Meeting, MeetingStatus

PRODID = "-//Salesteam//Meetings//EN"
EPOCH_2020 = 1_577_836_800
ICAL_STATUS = {
    MeetingStatus.SCHEDULED: "CONFIRMED",
    MeetingStatus.DONE: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "salesteam"
    return f"meeting-{meeting.pk}@{host}"


def meeting_event(meeting: Meeting) -> icalendar.Event:
    zone = meeting.organiser.zone
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("last-modified", meeting.updated_at or timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    event.add("url", meeting.video_url)
    event.add("location", meeting.video_url)
    event.add("description", f"{meeting.get_kind_display()}\n{meeting.video_url}")
    event.add("status", ICAL_STATUS[meeting.status])
    # Calendar apps take an event's newer version when its sequence grows; every edit
    # bumps updated_at, counted in seconds since 2020 to stay a small integer.
    if meeting.updated_at:
        event.add("sequence", max(0, int(meeting.updated_at.timestamp()) - EPOCH_2020))
    return event


def calendar_for(meetings: Iterable[Meeting], *, name: str = "") -> bytes:
    """An iCalendar document with one VEVENT per meeting and the VTIMEZONEs they use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    first = None
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
        first = (
            min(first, meeting.starts_at.date()) if first else meeting.starts_at.date()
        )
    if first:
        # VTIMEZONEs go first, as calendar apps expect.
        known = []
        for tzid in sorted(calendar.get_missing_tzids()):
            try:
                known.append(vtimezone(tzid, first.year))
            except ValueError:  # a zone icalendar does not know goes without
                continue
        calendar.subcomponents[:0] = known
    return calendar.to_ical()


@lru_cache(maxsize=512)
def vtimezone(tzid: str, first_year: int) -> icalendar.Timezone:
    """A zone's VTIMEZONE from a year on: the transitions of that year and the next
    two (enough for the meetings of a feed, and small).

    Working them out scans the zone hour by hour (tens of milliseconds), so each zone
    and year is built once per process; the component is only ever read afterwards.
    """
    return icalendar.Timezone.from_tzid(
        tzid,
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(first_year + 3, 1, 1),
    )
