"""Every write about a person's calendar connection: connect, disconnect, its health.

Connecting signs in first (`client.calendars_discover`) and stores nothing when that
fails. A sync that fails records why and when to try again (exponential backoff with
jitter, capped), and the owner hears of a breakdown once (a notification keyed by
`failing_since`); the first sync that works clears it all.
"""

import datetime as dt
import random

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Notification, User
from accounts.notifications import notify_many
from integrations.calendars.client import (
    CalendarUnavailable,
    FoundCalendar,
    calendars_discover,
)
from integrations.models import CalendarConnection, ConnectionStatus
from meetings import services as meeting_services
from meetings.models import Participant

BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)
BACKOFF_JITTER = 0.2  # ± a fifth, so failed calendars do not all come back at once
SYNC_LEASE = dt.timedelta(minutes=10)  # a sync that died frees its calendar after this
CONNECTED_KEY = "integrations:calendars-connected"
CONNECTED_FOR = 60  # seconds a process trusts its answer to "is anyone connected?"


def any_calendar_connected() -> bool:
    """Has anyone connected a calendar? Cached, so that booking meetings costs no query
    for calendars while nobody uses them (each event would otherwise look)."""
    connected = cache.get(CONNECTED_KEY)
    if connected is None:
        connected = CalendarConnection.objects.exists()
        cache.set(CONNECTED_KEY, connected, CONNECTED_FOR)
    return connected


def backoff(failures: int, *, jitter: float | None = None) -> dt.timedelta:
    """How long to wait after `failures` failures in a row: 1, 2, 4 … minutes, ≤ 6 h."""
    delay = min(BACKOFF_FIRST * 2 ** max(0, failures - 1), BACKOFF_MAX)
    spread = (
        random.uniform(-BACKOFF_JITTER, BACKOFF_JITTER) if jitter is None else jitter
    )
    return delay * (1 + spread)


def chosen_calendar(
    found: list[FoundCalendar], calendar_url: str = ""
) -> FoundCalendar:
    if not found:
        raise ValidationError(
            _("Signed in, but this account has no calendar for events.")
        )
    if not calendar_url:
        return found[0]
    for calendar in found:
        if calendar.url.rstrip("/") == calendar_url.rstrip("/"):
            return calendar
    raise ValidationError({"calendar_url": _("Choose one of your calendars.")})


def calendar_connect(
    *,
    person: User,
    server_url: str,
    username: str,
    password: str = "",
    calendar_url: str = "",
) -> CalendarConnection:
    """Connect (or change) the person's calendar, after signing in to check it.

    A blank password keeps the stored one. A new server, account or calendar starts
    the sync afresh: what was written into the old calendar stays there.
    """
    current = CalendarConnection.objects.filter(person=person).first()
    if not password:
        if current is None:
            raise ValidationError({"password": _("Give the password.")})
        password = current.password
    try:
        found = calendars_discover(
            server_url=server_url, username=username, password=password
        )
    except CalendarUnavailable as exc:
        raise ValidationError(str(exc)) from exc
    calendar = chosen_calendar(found, calendar_url)
    with transaction.atomic():
        connection, _created = (
            CalendarConnection.objects.select_for_update().get_or_create(
                person=person,
                defaults={
                    "server_url": server_url,
                    "username": username,
                    "password": password,
                    "calendar_url": calendar.url,
                },
            )
        )
        moved = (
            connection.server_url,
            connection.username,
            connection.calendar_url,
        ) != (
            server_url,
            username,
            calendar.url,
        )
        connection.server_url = server_url
        connection.username = username
        connection.password = password
        connection.calendar_url = calendar.url
        connection.calendar_name = calendar.name[:200]
        if moved or connection.status == ConnectionStatus.FAILING:
            connection_reset(connection)
        connection.save()
        if moved:
            connection.links.all().delete()
            meeting_services.external_busy_clear(person=person)
    cache.set(CONNECTED_KEY, True, CONNECTED_FOR)
    return connection


def connection_reset(connection: CalendarConnection) -> None:
    """Back to a first sync, due at once (unsaved)."""
    connection.status = ConnectionStatus.PENDING
    connection.last_error = ""
    connection.failures = 0
    connection.failing_since = None
    connection.next_attempt_at = None
    connection.sync_token = ""
    connection.ctag = ""
    connection.last_full_read_at = None


@transaction.atomic
def calendar_disconnect(*, person: User) -> bool:
    """Forget the person's calendar, its bookkeeping and the busy times it gave.

    Events Salesteam wrote stay in the calendar (the server may be unreachable, and
    the person may want them); they simply stop being kept in step.
    """
    deleted, _rows = CalendarConnection.objects.filter(person=person).delete()
    meeting_services.external_busy_clear(person=person)
    cache.delete(CONNECTED_KEY)
    return bool(deleted)


def connection_claim(*, connection_id: int, now: dt.datetime) -> bool:
    """Take the sync lease of one calendar; False if another sync holds it.

    The one holding it is asked (`sync_wanted`) to go round once more, so a change
    made while it ran is not left for the next periodic sync.
    """
    claimed = CalendarConnection.objects.filter(
        Q(sync_claimed_at__isnull=True) | Q(sync_claimed_at__lt=now - SYNC_LEASE),
        pk=connection_id,
    ).update(sync_claimed_at=now, sync_wanted=False)
    if not claimed:
        CalendarConnection.objects.filter(pk=connection_id).update(sync_wanted=True)
    return bool(claimed)


def connection_release(*, connection_id: int) -> bool:
    """Give the lease back; True if a sync was asked for meanwhile (go round again)."""
    wanted = CalendarConnection.objects.filter(
        pk=connection_id, sync_wanted=True
    ).update(sync_wanted=False)
    CalendarConnection.objects.filter(pk=connection_id).update(sync_claimed_at=None)
    return bool(wanted)


def connection_succeeded(
    connection: CalendarConnection,
    *,
    now: dt.datetime,
    sync_token: str,
    ctag: str,
    full_read: bool,
) -> None:
    connection.status = ConnectionStatus.OK
    connection.last_error = ""
    connection.failures = 0
    connection.failing_since = None
    connection.next_attempt_at = None
    connection.last_synced_at = now
    connection.sync_token = sync_token
    connection.ctag = ctag
    fields = [
        "status",
        "last_error",
        "failures",
        "failing_since",
        "next_attempt_at",
        "last_synced_at",
        "sync_token",
        "ctag",
    ]
    if full_read:
        connection.last_full_read_at = now
        fields.append("last_full_read_at")
    connection.save(update_fields=fields)


@transaction.atomic
def connection_failed(
    connection: CalendarConnection, *, reason: str, now: dt.datetime
) -> None:
    """Record a failed sync, schedule the retry, and tell the owner once per breakdown."""
    connection.failures += 1
    connection.status = ConnectionStatus.FAILING
    connection.last_error = reason[:1000]
    connection.failing_since = connection.failing_since or now
    connection.next_attempt_at = now + backoff(connection.failures)
    connection.save(
        update_fields=[
            "failures",
            "status",
            "last_error",
            "failing_since",
            "next_attempt_at",
        ]
    )
    person = connection.person
    with translation.override(person.language):
        notify_many(
            [
                Notification(
                    user=person,
                    key=f"calendar-failing-{connection.pk}-"
                    f"{int(connection.failing_since.timestamp())}",
                    kind="calendar_failing",
                    title=_("Your calendar is not in step"),
                    body=_(
                        "Salesteam could not reach your calendar: %(reason)s "
                        "It keeps trying; meetings are booked as usual meanwhile."
                    )
                    % {"reason": reason},
                    url=reverse("integrations:calendar"),
                )
            ]
        )


def connections_due(*, now: dt.datetime, every: dt.timedelta) -> list[int]:
    """Connections whose sync is due: healthy ones not synced for `every`, failing
    ones whose retry time has come, new ones at once. Active people only."""
    healthy_due = Q(status__in=[ConnectionStatus.OK, ConnectionStatus.PENDING]) & (
        Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=now - every)
    )
    retry_due = Q(status=ConnectionStatus.FAILING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    return list(
        CalendarConnection.objects.filter(
            healthy_due | retry_due, person__is_active=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def connections_for_meeting(
    *, meeting_id: int, now: dt.datetime, changed_after: dt.datetime | None = None
) -> list[int]:
    """The calendars a change to this meeting should reach now: its people's, except
    those waiting out a backoff (their retry comes by itself) and those synced since
    `changed_after` (they hold the change already)."""
    people = Participant.objects.filter(meeting_id=meeting_id).values("user_id")
    found = CalendarConnection.objects.filter(
        person__in=people, person__is_active=True
    ).exclude(status=ConnectionStatus.FAILING, next_attempt_at__gt=now)
    if changed_after is not None:
        found = found.exclude(last_synced_at__gt=changed_after)
    return list(found.order_by("pk").values_list("pk", flat=True))
