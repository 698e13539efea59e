"""Keeping a person's CalDAV calendar in step with Salesteam, both ways.

One sync of one connection, under its lease (`connections.connection_claim`):

1. Read what changed on the server since the last token (RFC 6578 sync-collection;
   without it the library's ETag stand-in, skipped when the CTag has not moved). A
   full read happens first and then daily, so recurring outside events are expanded
   over a window that moves with time.
2. Salesteam's own events (by UID) whose ETag moved or that vanished were edited or
   deleted in the calendar: Salesteam wins, they are written again. Then every
   meeting whose iCalendar changed is written (PUT to a place fixed by its UID), and
   events for meetings the person no longer has are deleted.
3. Outside events are only read: their busy times replace the person's earlier ones
   (`meetings.services.external_busy_set`), which slot choice avoids.

A mapping row (`CalendarEventLink`) is written right after the server confirmed each
write, each in its own statement, and the token only at the end: a sync cut short
(the server dies, the worker dies) leaves rows for exactly what the server has, and
the next sync carries on from the old token and completes. Booking never waits on
this: it runs in a worker, after the booking committed.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone

from integrations.calendars import connections
from integrations.calendars.busy import outside_busy
from integrations.calendars.client import (
    CalendarServer,
    CalendarUnavailable,
    RemoteChanges,
    unavailable,
)
from integrations.calendars.documents import Document, documents_for
from integrations.models import CalendarConnection, CalendarEventLink, LinkKind
from meetings import services as meeting_services
from meetings.models import Meeting, Participant

logger = logging.getLogger(__name__)

FULL_READ_EVERY = dt.timedelta(days=1)
MAX_ROUNDS = 3  # a sync asked for again while running goes round at most this often


@dataclass(frozen=True)
class SyncResult:
    written: int = 0
    deleted: int = 0
    rewritten: int = 0  # Salesteam's events edited in the calendar, written back
    busy: int | None = None  # outside busy rows now (None: none changed)
    error: str = ""


def calendar_sync(
    *, connection_id: int, now: dt.datetime | None = None
) -> SyncResult | None:
    """Sync one connection; None if another sync holds it (it will go round again)."""
    now = now or timezone.now()
    if not connections.connection_claim(connection_id=connection_id, now=now):
        return None
    try:
        result = None
        for _round in range(MAX_ROUNDS):
            result = sync_once(connection_id=connection_id, now=now)
            if not CalendarConnection.objects.filter(
                pk=connection_id, sync_wanted=True
            ).update(sync_wanted=False):
                break
            now = timezone.now()
        return result
    finally:
        connections.connection_release(connection_id=connection_id)


def sync_once(*, connection_id: int, now: dt.datetime) -> SyncResult | None:
    connection = (
        CalendarConnection.objects.select_related("person")
        .filter(pk=connection_id, person__is_active=True)
        .first()
    )
    if connection is None:
        return None
    try:
        server = CalendarServer(
            server_url=connection.server_url,
            username=connection.username,
            password=connection.password,
        )
    except Exception as exc:
        error = unavailable(exc)
        connections.connection_failed(connection, reason=str(error), now=now)
        return SyncResult(error=str(error))
    try:
        return sync_with(connection, server=server, now=now)
    except CalendarUnavailable as exc:
        logger.info("Calendar sync of connection %s failed: %s", connection.pk, exc)
        connections.connection_failed(connection, reason=str(exc), now=now)
        return SyncResult(error=str(exc))
    finally:
        server.close()


def remote_changes(
    connection: CalendarConnection, *, server: CalendarServer, now: dt.datetime
) -> tuple[RemoteChanges, str]:
    """What changed on the server, and its CTag (read first: a change made while we
    read moves it again, so it is never missed)."""
    full = (
        not connection.sync_token
        or connection.last_full_read_at is None
        or connection.last_full_read_at < now - FULL_READ_EVERY
    )
    token = "" if full else connection.sync_token
    ctag = server.ctag()
    if token.startswith("fake-") and ctag and ctag == connection.ctag:
        return RemoteChanges(
            token=token, changed=[], deleted=set(), complete=False
        ), ctag
    return server.changes(token), ctag


def sync_with(
    connection: CalendarConnection, *, server: CalendarServer, now: dt.datetime
) -> SyncResult:
    person = connection.person
    server.open(connection.calendar_url)
    changes, ctag = remote_changes(connection, server=server, now=now)
    links = {link.uid: link for link in connection.links.all()}
    by_href = {link.href: link for link in links.values()}

    # Salesteam's events edited or deleted in the calendar; the rest is outside.
    edited, outside, seen = set(), [], set()
    for remote in changes.changed:
        seen.add(remote.href)
        link = by_href.get(remote.href)
        if link is None:
            outside.append(remote)
        elif remote.etag != link.etag:
            edited.add(link.uid)
    edited |= {by_href[href].uid for href in changes.deleted if href in by_href}
    if changes.complete:
        edited |= {link.uid for link in links.values() if link.href not in seen}

    documents = documents_for(person=person, now=now)
    written = rewritten = 0
    for uid, document in documents.items():
        link = links.get(uid)
        if (
            link is not None
            and uid not in edited
            and link.content_hash == document.content_hash
        ):
            continue
        href = link.href if link else server.href_for(uid)
        etag = server.put(href, document.ical)
        link_confirm(connection, document=document, href=href, etag=etag, now=now)
        written += 1
        rewritten += uid in edited

    deleted = 0
    for link in links_gone(person_id=person.pk, links=links, documents=documents):
        server.delete(link.href)
        link.delete()
        deleted += 1

    busy = None
    replaced = {remote.href for remote in outside} | {
        href for href in changes.deleted if href not in by_href
    }
    if changes.complete or replaced:
        rows = outside_busy(
            outside, person=person, own_uids=set(links) | set(documents), now=now
        )
        busy = meeting_services.external_busy_set(
            person=person,
            rows=rows,
            replace_refs=replaced,
            replace_all=changes.complete,
        )
    connections.connection_succeeded(
        connection,
        now=now,
        sync_token=changes.token,
        ctag=ctag,
        full_read=changes.complete,
    )
    return SyncResult(written=written, deleted=deleted, rewritten=rewritten, busy=busy)


def link_confirm(
    connection: CalendarConnection,
    *,
    document: Document,
    href: str,
    etag: str,
    now: dt.datetime,
) -> None:
    """Record a write the server has confirmed (its own statement, at once)."""
    CalendarEventLink.objects.update_or_create(
        connection=connection,
        uid=document.uid,
        defaults={
            "kind": document.kind,
            "object_id": document.object_id,
            "href": href,
            "etag": etag,
            "content_hash": document.content_hash,
            "written_at": now,
        },
    )


def links_gone(
    *,
    person_id: int,
    links: dict[str, CalendarEventLink],
    documents: dict[str, Document],
) -> list[CalendarEventLink]:
    """Links whose meeting or series is no longer the person's (deleted, or they were
    taken off it). Ones that merely aged out of the feed's window stay as they are."""
    leftover = [link for uid, link in links.items() if uid not in documents]
    if not leftover:
        return []
    meeting_ids = [link.object_id for link in leftover if link.kind == LinkKind.MEETING]
    series_ids = [link.object_id for link in leftover if link.kind == LinkKind.SERIES]
    still_meetings = set(
        Participant.objects.filter(
            user_id=person_id, meeting_id__in=meeting_ids
        ).values_list("meeting_id", flat=True)
    )
    still_series = set(
        Meeting.objects.filter(
            series_id__in=series_ids, attendance__user_id=person_id
        ).values_list("series_id", flat=True)
    )
    return [
        link
        for link in leftover
        if link.object_id
        not in (still_meetings if link.kind == LinkKind.MEETING else still_series)
    ]
