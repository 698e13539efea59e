"""iCalendar output: one meeting or series as an .ics file, or a person's whole feed.

Built with `icalendar`. A meeting on its own is one VEVENT; DTSTART carries the
organiser's TZID. A series is one VEVENT with an RRULE whose DTSTART carries the series'
own zone, so a weekly 10:00 Athens meeting stays at 10:00 Athens across DST in every
calendar app. An occurrence that was moved, retitled or cancelled is an override (same
UID, RECURRENCE-ID its original slot); a slot of the known range that has no occurrence
for the reader is an EXDATE. Each used zone has its VTIMEZONE. A rotating series' later
times are overrides too (its slots are the rule's), and its RRULE ends at the last
occurrence made, so no calendar shows an occurrence at a time it will not take.

UIDs come from ids and SITE_URL, never from the host a feed was fetched under, so an
event keeps its UID between downloads. URL and LOCATION are the video link; a cancelled
meeting is STATUS:CANCELLED (calendar apps strike it out instead of keeping it).
"""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar
from dateutil import rrule
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting, MeetingSeries, MeetingStatus
from meetings.services.series import RRULE_FREQUENCY, series_slots

PRODID = "-//Salesteam//Meetings//EN"
EPOCH_2020 = 1_577_836_800
ICAL_STATUS = {
    MeetingStatus.SCHEDULED: "CONFIRMED",
    MeetingStatus.DONE: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


def ical_rule(series: MeetingSeries) -> dict:
    """The series' RRULE, from the same frequency the occurrences are made with."""
    frequency, interval = RRULE_FREQUENCY[series.recurrence]
    rule = {"freq": rrule.FREQNAMES[frequency]}
    if interval > 1:
        rule["interval"] = interval
    return rule


def uid_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "salesteam"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{uid_host()}"


def series_uid(series: MeetingSeries) -> str:
    return f"series-{series.pk}@{uid_host()}"


def sequence_of(changed_at: dt.datetime | None) -> int:
    """Calendar apps take an event's newer version when its sequence grows; every edit
    bumps updated_at, counted in seconds since 2020 to stay a small integer."""
    if changed_at is None:
        return 0
    return max(0, int(changed_at.timestamp()) - EPOCH_2020)


def add_details(
    event: icalendar.Event,
    *,
    title: str,
    video_url: str,
    kind_label: str,
    reason: str = "",
) -> None:
    event.add("summary", title)
    event.add("url", video_url)
    event.add("location", video_url)
    why = _("Why we are meeting: %(reason)s") % {"reason": reason} if reason else ""
    event.add("description", "\n".join(filter(None, [kind_label, why, video_url])))


def meeting_event(
    meeting: Meeting, *, uid: str = "", zone: zoneinfo.ZoneInfo | None = None
) -> icalendar.Event:
    """One meeting as a VEVENT, in the organiser's zone unless given another."""
    zone = zone or meeting.organiser.zone
    changed_at = meeting.updated_at or timezone.now()
    event = icalendar.Event()
    event.add("uid", uid or meeting_uid(meeting))
    event.add("dtstamp", changed_at)
    event.add("last-modified", changed_at)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    add_details(
        event,
        title=meeting.title,
        video_url=meeting.video_url,
        kind_label=meeting.get_kind_display(),
        reason=meeting.reason,
    )
    event.add("status", ICAL_STATUS[meeting.status])
    if meeting.updated_at:
        event.add("sequence", sequence_of(meeting.updated_at))
    return event


def is_override(meeting: Meeting, series: MeetingSeries) -> bool:
    """Does the occurrence differ from what its series' rule says?"""
    return (
        meeting.status == MeetingStatus.CANCELLED
        or meeting.starts_at != meeting.series_slot
        or meeting.duration_minutes != series.duration_minutes
        or meeting.title != series.title
        or meeting.video_url != series.video_url
        or bool(meeting.reason)
    )


def series_events(
    series: MeetingSeries,
    occurrences: list[Meeting],
    *,
    known_from: dt.datetime | None = None,
) -> list[icalendar.Event]:
    """The series' VEVENT with its RRULE, then an override per changed occurrence.

    `occurrences` are the reader's; from `known_from` (or the first of them) up to the
    last of them, a slot of the rule without one is an EXDATE. Past that the rule
    speaks for occurrences not created yet.
    """
    zone = zoneinfo.ZoneInfo(series.timezone)
    first = dt.datetime.combine(series.starts_on, series.local_time, tzinfo=zone)
    changed_at = max(
        (m.updated_at for m in occurrences if m.updated_at), default=series.created_at
    )
    master = icalendar.Event()
    uid = series_uid(series)
    master.add("uid", uid)
    master.add("dtstamp", changed_at or timezone.now())
    if changed_at:
        master.add("last-modified", changed_at)
        master.add("sequence", sequence_of(changed_at))
    master.add("dtstart", first)
    master.add("dtend", first + dt.timedelta(minutes=series.duration_minutes))
    add_details(
        master,
        title=series.title,
        video_url=series.video_url,
        kind_label=series.get_kind_display(),
    )
    rule = ical_rule(series)
    if series.ends_on is not None:
        if series.ends_on < series.starts_on:  # cancelled from its first occurrence
            master.add("status", "CANCELLED")
            return [master]
        last = dt.datetime.combine(series.ends_on, series.local_time, tzinfo=zone)
        rule["until"] = last.astimezone(dt.UTC)
    master.add("status", "CONFIRMED")
    slots = sorted(m.series_slot for m in occurrences)
    if series.rotation_times and slots:
        # A rotation is overrides of the rule's slots: past the last occurrence made,
        # the rule alone would put every one at the first time, so it stops there.
        rule["until"] = min(rule.get("until", slots[-1]), slots[-1])
    master.add("rrule", rule)
    if not occurrences:
        return [master]
    rule_slots = series_slots(
        series=series,
        start=max(known_from or slots[0], first),
        end=slots[-1] + dt.timedelta(minutes=1),
    )
    known = set(slots)
    exdates = [slot.astimezone(zone) for slot in rule_slots if slot not in known]
    if exdates:
        master.add("exdate", exdates)
    until = rule.get("until")
    events = [master]
    for meeting in sorted(occurrences, key=lambda m: m.series_slot):
        in_rule = first <= meeting.series_slot and (
            until is None or meeting.series_slot <= until
        )
        if in_rule and is_override(meeting, series):
            override = meeting_event(meeting, uid=uid, zone=zone)
            override.add("recurrence-id", meeting.series_slot.astimezone(zone))
            events.append(override)
    return events


def calendar_events(
    meetings: Iterable[Meeting], *, known_from: dt.datetime | None = None
) -> list[icalendar.Event]:
    """A VEVENT per meeting on its own, and `series_events` per series."""
    events, by_series = [], defaultdict(list)
    for meeting in meetings:
        if meeting.series_id and meeting.series_slot:
            by_series[meeting.series_id].append(meeting)
        else:
            events.append(meeting_event(meeting))
    for occurrences in by_series.values():
        events.extend(
            series_events(occurrences[0].series, occurrences, known_from=known_from)
        )
    return events


def calendar_for(
    meetings: Iterable[Meeting],
    *,
    name: str = "",
    known_from: dt.datetime | None = None,
) -> bytes:
    """An iCalendar document of these meetings (see `calendar_events`) and its zones.

    Meetings of a series need `series` loaded (`select_related`).
    """
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    events = calendar_events(meetings, known_from=known_from)
    for event in events:
        calendar.add_component(event)
    if events:
        first_year = min(event["DTSTART"].dt.year for event in events)
        # A series runs on: its zone's rules are given up to a few years from now.
        last_year = max(first_year, timezone.now().year) + 3
        # VTIMEZONEs go first, as calendar apps expect.
        known = []
        for tzid in sorted(calendar.get_missing_tzids()):
            try:
                known.append(vtimezone(tzid, first_year, last_year))
            except ValueError:  # a zone icalendar does not know goes without
                continue
        calendar.subcomponents[:0] = known
    return calendar.to_ical()


@lru_cache(maxsize=512)
def vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """A zone's VTIMEZONE: its transitions from the first year until the last one.

    Working them out scans the zone hour by hour (tens of milliseconds), so each zone
    and year is built once per process; the component is only ever read afterwards.
    """
    return icalendar.Timezone.from_tzid(
        tzid,
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(last_year, 1, 1),
    )
