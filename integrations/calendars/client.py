"""The CalDAV side: a thin adapter over the `caldav` library, and its one error type.

Everything that talks to a server is here, so the sync reads as bookkeeping and every
network or protocol failure reaches it as `CalendarUnavailable` with a sentence the
calendar's owner can act on (wrong password, unknown address, server down).
"""

import logging
from dataclasses import dataclass

import caldav
import niquests
from caldav.elements import dav
from caldav.elements.base import ValuedBaseElement
from caldav.lib import error as caldav_error
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 15


class CalendarUnavailable(Exception):
    """The calendar could not be reached or refused us; `str()` says why, for its owner."""


class GetCtag(ValuedBaseElement):
    """The calendar's change tag (a CalendarServer extension most servers have)."""

    tag = "{http://calendarserver.org/ns/}getctag"


@dataclass(frozen=True)
class FoundCalendar:
    url: str
    name: str


@dataclass(frozen=True)
class RemoteObject:
    href: str
    etag: str
    data: str  # the iCalendar text ("" when not loaded)


@dataclass(frozen=True)
class RemoteChanges:
    """What changed on the server since a token: objects (with data) and removals.

    `complete` means `changed` is every object of the calendar (a first read, or a
    server without sync tokens whose stand-in token moved), so anything missing from
    it is gone.
    """

    token: str
    changed: list[RemoteObject]
    deleted: set[str]
    complete: bool


def explain(exc: Exception) -> str:
    """A sentence for the calendar's owner about what went wrong."""
    if isinstance(exc, caldav_error.AuthorizationError):
        return _(
            "The server refused the user name or password. Calendar services that "
            "use two-factor sign-in need an app password."
        )
    if isinstance(exc, caldav_error.NotFoundError):
        return _("The server has no calendar at this address.")
    if isinstance(exc, caldav_error.DAVError):
        return _("The server answered with an error: %(reason)s") % {
            "reason": str(getattr(exc, "reason", "") or exc)[:200]
        }
    if isinstance(exc, TimeoutError | niquests.exceptions.Timeout):
        return _("The server did not answer in time.")
    if isinstance(exc, ConnectionError | niquests.exceptions.ConnectionError):
        return _(
            "The server could not be reached. Check the address; if it is right, "
            "the server may be down."
        )
    return _("The server could not be used (%(reason)s).") % {
        "reason": exc.__class__.__name__
    }


def unavailable(exc: Exception) -> CalendarUnavailable:
    if isinstance(exc, CalendarUnavailable):
        return exc
    logger.info("CalDAV failure: %r", exc)
    return CalendarUnavailable(explain(exc))


def href_of(url) -> str:
    return str(url.canonical() if hasattr(url, "canonical") else url)


class CalendarServer:
    """One signed-in session with a CalDAV server (and, once chosen, one calendar)."""

    def __init__(self, *, server_url: str, username: str, password: str) -> None:
        self.client = caldav.DAVClient(
            url=server_url,
            username=username,
            password=password,
            # Credentials with the first request: without, each sync starts with a
            # 401, which servers count as a failed sign-in (Radicale waits a second).
            auth_type="basic",
            timeout=TIMEOUT_SECONDS,
        )
        self.calendar = None

    def close(self) -> None:
        self.client.close()

    def discover(self) -> list[FoundCalendar]:
        """The person's calendars that hold events (not task lists), in server order."""
        try:
            found = []
            for calendar in self.client.principal().calendars():
                try:
                    components = calendar.get_supported_components()
                except caldav_error.DAVError:
                    components = ["VEVENT"]
                if "VEVENT" in components:
                    name = calendar.get_display_name() or href_of(calendar.url)
                    found.append(FoundCalendar(url=href_of(calendar.url), name=name))
            return found
        except Exception as exc:
            raise unavailable(exc) from exc

    def open(self, calendar_url: str) -> None:
        self.calendar = self.client.calendar(url=calendar_url)

    def href_for(self, uid: str) -> str:
        """Where an event of this UID lives: fixed by the UID, so rewrites are PUTs to
        the same place and a repeated write never makes a second copy."""
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in uid)
        return href_of(self.calendar.url.join(f"{safe}.ics"))

    def ctag(self) -> str:
        try:
            return str(self.calendar.get_property(GetCtag()) or "")
        except caldav_error.DAVError:
            return ""
        except Exception as exc:
            raise unavailable(exc) from exc

    def changes(self, token: str) -> RemoteChanges:
        """Objects changed since `token` (all of them without one), with their data."""
        try:
            result = self.calendar.objects_by_sync_token(
                sync_token=token or None, load_objects=True
            )
            new_token = str(result.sync_token or "")
            deleted = {href_of(url) for url in result.deleted_urls}
            changed = [
                RemoteObject(
                    href=href_of(obj.url),
                    etag=str(obj.props.get(dav.GetEtag.tag) or ""),
                    data=obj.data or "",
                )
                for obj in result.objects
                if href_of(obj.url) not in deleted
            ]
        except Exception as exc:
            raise unavailable(exc) from exc
        stand_in = new_token.startswith("fake-")
        complete = not token or (stand_in and new_token != token)
        return RemoteChanges(
            token=new_token, changed=changed, deleted=deleted, complete=complete
        )

    def put(self, href: str, ical: bytes) -> str:
        """Write one object; return its new ETag once the server has confirmed it."""
        try:
            response = self.client.put(
                href,
                ical.decode(),
                {"Content-Type": 'text/calendar; charset="utf-8"'},
            )
            if response.status not in (200, 201, 204):
                raise caldav_error.PutError(f"{response.status} {response.reason}")
            etag = (response.headers or {}).get("ETag", "")
            if not etag:  # some servers confirm without one: ask for it
                event = caldav.Event(client=self.client, url=href)
                etag = str(event.get_property(dav.GetEtag()) or "")
            return etag
        except Exception as exc:
            raise unavailable(exc) from exc

    def delete(self, href: str) -> None:
        """Remove one object; one that is gone already counts as removed."""
        try:
            response = self.client.delete(href)
            if response.status not in (200, 204, 404):
                raise caldav_error.DeleteError(f"{response.status} {response.reason}")
        except caldav_error.NotFoundError:
            return
        except Exception as exc:
            raise unavailable(exc) from exc


def calendars_discover(
    *, server_url: str, username: str, password: str
) -> list[FoundCalendar]:
    """Sign in and list the person's event calendars; `CalendarUnavailable` if not."""
    try:
        server = CalendarServer(
            server_url=server_url, username=username, password=password
        )
    except Exception as exc:
        raise unavailable(exc) from exc
    try:
        return server.discover()
    finally:
        server.close()
