"""Reading busy time out of the person's own (outside) calendar events.

Outside events are only read, never written. Recurring ones are expanded over the
window slot choice looks at (`BUSY_DAYS_AHEAD`). An event marked free
(TRANSP:TRANSPARENT) or cancelled is not busy; a whole-day event is busy from the
person's midnight to the next; a time without a zone is in the person's zone.
"""

import datetime as dt
import logging

import icalendar
import recurring_ical_events

from accounts.models import User
from integrations.calendars.client import RemoteObject
from integrations.calendars.documents import is_own_uid

logger = logging.getLogger(__name__)

BUSY_DAYS_BACK = 1
BUSY_DAYS_AHEAD = 60


def busy_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return (
        now - dt.timedelta(days=BUSY_DAYS_BACK),
        now + dt.timedelta(days=BUSY_DAYS_AHEAD),
    )


def object_uid(data: str) -> str:
    """The UID of a calendar object's first component ("" when there is none)."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError:
        return ""
    for component in calendar.walk():
        if component.name in {"VEVENT", "VTODO", "VJOURNAL"} and "UID" in component:
            return str(component["UID"])
    return ""


def as_aware(value, person: User) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=person.zone)
    return dt.datetime.combine(value, dt.time.min, person.zone)


def busy_of(
    remote: RemoteObject, *, person: User, start: dt.datetime, end: dt.datetime
) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """The busy stretches of one outside object within [start, end)."""
    try:
        calendar = icalendar.Calendar.from_ical(remote.data)
        events = recurring_ical_events.of(calendar).between(start, end)
    except Exception:  # a malformed outside event must not stop the sync
        logger.warning("Unreadable calendar object %s", remote.href, exc_info=True)
        return []
    rows = []
    for event in events:
        if event.name != "VEVENT":
            continue
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        begins = event.get("DTSTART")
        if begins is None:
            continue
        starts_at = as_aware(begins.dt, person)
        if event.get("DTEND") is not None:
            ends_at = as_aware(event["DTEND"].dt, person)
        elif event.get("DURATION") is not None:
            ends_at = starts_at + event["DURATION"].dt
        elif not isinstance(begins.dt, dt.datetime):
            ends_at = as_aware(begins.dt + dt.timedelta(days=1), person)
        else:
            continue  # an instant takes no time
        if ends_at > starts_at:
            rows.append(
                (remote.href, starts_at.astimezone(dt.UTC), ends_at.astimezone(dt.UTC))
            )
    return rows


def outside_busy(
    objects: list[RemoteObject],
    *,
    person: User,
    own_uids: set[str],
    now: dt.datetime,
) -> list[tuple[str, dt.datetime, dt.datetime]]:
    """Busy stretches of the objects that are not Salesteam's own."""
    start, end = busy_window(now)
    rows = []
    for remote in objects:
        uid = object_uid(remote.data)
        if not uid or uid in own_uids or is_own_uid(uid):
            continue
        rows.extend(busy_of(remote, person=person, start=start, end=end))
    return rows
