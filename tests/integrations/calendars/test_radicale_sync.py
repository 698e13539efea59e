"""Two-way calendars against a real Radicale: what Salesteam writes, what it reads back.

Salesteam syncs with the `caldav` library; every check reads Radicale with a raw
REPORT of its own (`radicale.read_back`) and parses it with icalendar.
"""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Notification
from coaching.review import review_and_follow_up
from coaching.services.booking import ONE_ON_ONE_MINUTES, first_slot
from integrations.calendars import sync
from integrations.calendars.connections import calendar_connect, calendar_disconnect
from integrations.models import CalendarConnection, CalendarEventLink, ConnectionStatus
from meetings import services as meeting_services
from meetings.calendars import meeting_uid, series_uid
from meetings.models import ExternalBusy, MeetingKind
from tests import factories
from tests.integrations.calendars.radicale import (
    USERS,
    delete_object,
    put_event,
    read_back,
)
from tests.scenarios import at, rep_with_quota

pytestmark = pytest.mark.django_db


def connect(person, server, calendar_url, *, user="eleni", password=None):
    return calendar_connect(
        person=person,
        server_url=server.url,
        username=user,
        password=password or USERS[user],
        calendar_url=calendar_url,
    )


def tomorrow_at(hour: int) -> dt.datetime:
    day = timezone.now().date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def book(manager, rep, *, starts_at, title="Pipeline review", recurrence=""):
    return meeting_services.meeting_schedule(
        organiser=manager,
        kind=MeetingKind.ONE_ON_ONE,
        title=title,
        starts_at=starts_at,
        duration_minutes=30,
        participants=[rep],
        recurrence=recurrence,
    )


def sync_now(connection, now=None):
    result = sync.calendar_sync(connection_id=connection.pk, now=now)
    connection.refresh_from_db()
    return result


def outside_event(uid: str, start: dt.datetime, end: dt.datetime, **extra) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Another app//EN",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{start.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        f"DTEND:{end.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        "SUMMARY:Dentist",
        *[f"{key}:{value}" for key, value in extra.items()],
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
    return "\r\n".join(lines)


def test_a_meeting_booked_in_salesteam_appears_in_the_calendar(radicale, rep):
    # Given Eleni's Radicale calendar connected
    calendar_url = radicale.new_calendar()
    connection = connect(rep, radicale, calendar_url)
    assert connection.calendar_name == "Work"

    # When her manager books a one-on-one and the calendar syncs
    meeting = book(rep.team.manager, rep, starts_at=tomorrow_at(10))
    result = sync_now(connection)

    # Then Radicale holds it, with Salesteam's UID, title, time and video link
    assert result.written == 1
    stored = read_back(calendar_url)
    event = stored[meeting_uid(meeting)]["events"][0]
    assert str(event["SUMMARY"]) == "Pipeline review"
    assert event["DTSTART"].dt == meeting.starts_at
    assert event["DTEND"].dt == meeting.ends_at
    assert str(event["URL"]) == meeting.video_url
    assert connection.status == ConnectionStatus.OK
    assert connection.sync_token
    # And a second sync writes nothing
    assert sync_now(connection).written == 0


def test_a_move_and_a_cancel_are_reflected(radicale, rep):
    calendar_url = radicale.new_calendar()
    connection = connect(rep, radicale, calendar_url)
    manager = rep.team.manager
    meeting = book(manager, rep, starts_at=tomorrow_at(10))
    sync_now(connection)

    # When the meeting moves an hour later
    meeting_services.meeting_update(
        meeting=meeting, by=manager, starts_at=tomorrow_at(11)
    )
    assert sync_now(connection).written == 1
    event = read_back(calendar_url)[meeting_uid(meeting)]["events"][0]
    assert event["DTSTART"].dt == tomorrow_at(11)

    # And when it is cancelled: the same event, struck out
    meeting_services.meeting_cancel(meeting=meeting, by=manager)
    assert sync_now(connection).written == 1
    stored = read_back(calendar_url)
    assert len(stored) == 1
    assert str(stored[meeting_uid(meeting)]["events"][0]["STATUS"]) == "CANCELLED"


def test_a_series_shows_its_rrule_and_a_moved_occurrence(radicale, rep):
    calendar_url = radicale.new_calendar()
    connection = connect(rep, radicale, calendar_url)
    manager = rep.team.manager
    first = book(manager, rep, starts_at=tomorrow_at(9), recurrence="weekly")
    sync_now(connection)

    stored = read_back(calendar_url)
    assert list(stored) == [series_uid(first.series)]
    master = stored[series_uid(first.series)]["events"][0]
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]

    # When one occurrence moves, the series' object gets an override for it
    second = first.series.meetings.order_by("series_slot")[1]
    meeting_services.meeting_update(
        meeting=second, by=manager, starts_at=second.starts_at + dt.timedelta(hours=2)
    )
    sync_now(connection)
    events = read_back(calendar_url)[series_uid(first.series)]["events"]
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert [e["RECURRENCE-ID"].dt for e in overrides] == [second.series_slot]
    assert overrides[0]["DTSTART"].dt == second.series_slot + dt.timedelta(hours=2)


def test_an_edit_made_in_the_calendar_to_a_salesteam_event_is_overwritten(
    radicale, rep
):
    calendar_url = radicale.new_calendar()
    connection = connect(rep, radicale, calendar_url)
    meeting = book(rep.team.manager, rep, starts_at=tomorrow_at(10))
    sync_now(connection)
    href = CalendarEventLink.objects.get(connection=connection).href

    # Given someone moves Salesteam's event in their calendar app
    edited = outside_event(meeting_uid(meeting), tomorrow_at(15), tomorrow_at(16))
    put_event(calendar_url, href.rsplit("/", 1)[1].removesuffix(".ics"), edited)

    # When the calendar syncs, Salesteam's version wins and the edit is not busy time
    result = sync_now(connection)
    assert result.rewritten == 1
    event = read_back(calendar_url)[meeting_uid(meeting)]["events"][0]
    assert event["DTSTART"].dt == meeting.starts_at
    assert not ExternalBusy.objects.filter(person=rep).exists()

    # And one deleted in the calendar comes back too
    delete_object(href)
    assert sync_now(connection).rewritten == 1
    assert meeting_uid(meeting) in read_back(calendar_url)


def test_outside_events_are_read_as_busy_and_follow_their_changes(radicale, rep):
    calendar_url = radicale.new_calendar()
    connection = connect(rep, radicale, calendar_url)
    sync_now(connection)  # the first, full read

    # Given a dentist's appointment and a free-marked reminder made in another app
    start, end = tomorrow_at(13), tomorrow_at(14)
    dentist = put_event(calendar_url, "dentist", outside_event("d-1", start, end))
    put_event(
        calendar_url,
        "reminder",
        outside_event("r-1", tomorrow_at(8), tomorrow_at(9), TRANSP="TRANSPARENT"),
    )

    # When the calendar syncs (incrementally, by sync token), the dentist is busy
    sync_now(connection)
    busy = list(
        ExternalBusy.objects.filter(person=rep).values_list("starts_at", "ends_at")
    )
    assert busy == [(start, end)]
    # And Radicale still holds only what others wrote: outside events are only read
    assert set(read_back(calendar_url)) == {"d-1", "r-1"}

    # When the appointment is deleted there, it stops being busy
    delete_object(dentist)
    sync_now(connection)
    assert not ExternalBusy.objects.filter(person=rep).exists()


def test_a_busy_event_in_the_calendar_makes_the_plan_booker_choose_another_slot(
    radicale, django_capture_on_commit_callbacks
):
    from coaching.services.booking import plans_book_one_on_ones

    # Given a rep below quota, whose plan's one-on-one would go in the first shared slot
    manager = factories.ManagerFactory(timezone="Europe/Athens")
    team = factories.TeamFactory(manager=manager)
    rep = rep_with_quota(team, "Europe/Athens")
    now = at("Europe/Athens", 2026, 11, 2, 7)
    summary = review_and_follow_up(rep_ids=[rep.pk], now=now)
    usual = first_slot(rep=rep, manager=manager, now=now, busy=[])
    assert usual is not None

    # And the rep's own calendar has an appointment right then
    calendar_url = radicale.new_calendar()
    connection = connect(rep, radicale, calendar_url)
    put_event(
        calendar_url,
        "doctor",
        outside_event("doctor-1", usual, usual + dt.timedelta(minutes=90)),
    )
    sync_now(connection, now=now)
    assert ExternalBusy.objects.filter(person=rep).count() == 1

    # When the plans are booked
    with django_capture_on_commit_callbacks(execute=False):
        (meeting,) = plans_book_one_on_ones(plan_ids=summary.plans_to_book, now=now)

    # Then the one-on-one is after the appointment, not in it
    assert meeting.starts_at >= usual + dt.timedelta(minutes=90)
    assert meeting.duration_minutes == ONE_ON_ONE_MINUTES


def test_killing_radicale_mid_sync_leaves_no_half_state_and_the_next_sync_completes(
    own_radicale, rep, monkeypatch
):
    # Given five meetings to write
    calendar_url = own_radicale.new_calendar()
    connection = connect(rep, own_radicale, calendar_url)
    meetings = [
        book(rep.team.manager, rep, starts_at=tomorrow_at(8 + i), title=f"M{i}")
        for i in range(5)
    ]
    confirmed = []
    really_confirm = sync.link_confirm

    def confirm_then_kill(*args, **kwargs):
        really_confirm(*args, **kwargs)
        confirmed.append(kwargs["document"].uid)
        if len(confirmed) == 2:
            own_radicale.kill()  # the server dies between two writes

    monkeypatch.setattr(sync, "link_confirm", confirm_then_kill)

    # When the sync runs and the server dies under it
    result = sync_now(connection)

    # Then the sync failed, the token did not move, and the links are exactly the
    # two writes the server confirmed
    assert result.error
    assert connection.status == ConnectionStatus.FAILING
    assert connection.sync_token == ""
    links = {link.uid: link for link in connection.links.all()}
    assert set(links) == set(confirmed)
    own_radicale.start()
    stored = read_back(calendar_url)
    assert set(stored) == set(confirmed)
    for uid, link in links.items():
        assert stored[uid]["etag"] == link.etag

    # When the server is back, the next sync completes: every meeting once
    monkeypatch.setattr(sync, "link_confirm", really_confirm)
    result = sync_now(connection)
    assert result.written == 3
    stored = read_back(calendar_url)
    assert set(stored) == {meeting_uid(m) for m in meetings}
    assert connection.links.count() == 5
    assert connection.status == ConnectionStatus.OK
    assert connection.failures == 0


def test_a_wrong_password_is_shown_to_the_owner_once_and_booking_still_works(
    radicale, rep, client, django_capture_on_commit_callbacks
):
    # Given a connected calendar whose password was changed on the server's side
    calendar_url = radicale.new_calendar()
    connection = connect(rep, radicale, calendar_url)
    connection.password = "wrong"
    connection.save()

    # When the manager books a meeting: the prompt sync runs after commit, and fails
    with django_capture_on_commit_callbacks(execute=True):
        meeting = book(rep.team.manager, rep, starts_at=tomorrow_at(10))
    assert meeting.pk

    # Then the connection is failing, with a retry scheduled, and the owner is told
    connection.refresh_from_db()
    assert connection.status == ConnectionStatus.FAILING
    assert "password" in connection.last_error
    assert connection.next_attempt_at > timezone.now()
    assert Notification.objects.filter(user=rep, kind="calendar_failing").count() == 1
    # Once: a second failure in a row tells nobody again, and waits longer
    first_wait = connection.next_attempt_at - timezone.now()
    sync_now(connection)
    assert connection.failures == 2
    assert connection.next_attempt_at - timezone.now() > first_wait * 1.2
    assert Notification.objects.filter(user=rep, kind="calendar_failing").count() == 1
    # And her page says so
    client.force_login(rep)
    page = client.get("/integrations/calendar/").content.decode()
    assert "refused the user name or password" in page


def test_connecting_with_a_wrong_password_stores_nothing(radicale, rep):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="app password"):
        connect(rep, radicale, radicale.new_calendar(), password="wrong")
    assert not CalendarConnection.objects.exists()


def test_booking_prompts_a_sync_after_commit(
    radicale, rep, django_capture_on_commit_callbacks
):
    calendar_url = radicale.new_calendar()
    connect(rep, radicale, calendar_url)

    with django_capture_on_commit_callbacks(execute=True):
        meeting = book(rep.team.manager, rep, starts_at=tomorrow_at(10))

    assert meeting_uid(meeting) in read_back(calendar_url)


def test_disconnecting_forgets_the_busy_times(radicale, rep):
    calendar_url = radicale.new_calendar()
    connection = connect(rep, radicale, calendar_url)
    put_event(calendar_url, "x", outside_event("x-1", tomorrow_at(13), tomorrow_at(14)))
    sync_now(connection)
    assert ExternalBusy.objects.filter(person=rep).exists()

    assert calendar_disconnect(person=rep)

    assert not ExternalBusy.objects.filter(person=rep).exists()
    assert not CalendarConnection.objects.exists()
