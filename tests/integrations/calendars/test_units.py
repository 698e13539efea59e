"""The calendar sync's pieces that need no server: busy parsing, backoff, what is due,
the documents written, the prompt after a booking."""

import datetime as dt

import pytest
from django.utils import timezone

from integrations.calendars import connections, receivers
from integrations.calendars.busy import busy_of, outside_busy
from integrations.calendars.client import RemoteObject
from integrations.calendars.documents import documents_for, is_own_uid
from integrations.models import CalendarConnection, ConnectionStatus
from meetings.calendars import meeting_uid
from tests import factories

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2027, 1, 11, 8, 0, tzinfo=dt.UTC)


def remote(body: str, href: str = "x.ics") -> RemoteObject:
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:t\r\nBEGIN:VEVENT\r\n"
        "DTSTAMP:20260101T000000Z\r\n" + body + "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return RemoteObject(href=href, etag='"1"', data=data)


def test_a_whole_day_event_is_busy_from_the_persons_midnight_to_the_next():
    person = factories.UserFactory.build(timezone="Europe/Athens")
    day = remote(
        "UID:a\r\nDTSTART;VALUE=DATE:20270112\r\nDTEND;VALUE=DATE:20270113\r\n"
    )

    ((_ref, start, end),) = busy_of(
        day, person=person, start=NOW, end=NOW + dt.timedelta(days=7)
    )

    assert start == dt.datetime(2027, 1, 11, 22, 0, tzinfo=dt.UTC)  # 00:00 Athens
    assert end - start == dt.timedelta(days=1)


def test_free_cancelled_and_zero_length_events_are_not_busy():
    person = factories.UserFactory.build(timezone="Europe/London")
    events = [
        remote(
            "UID:f\r\nTRANSP:TRANSPARENT\r\nDTSTART:20270112T090000Z\r\nDTEND:20270112T100000Z\r\n"
        ),
        remote(
            "UID:c\r\nSTATUS:CANCELLED\r\nDTSTART:20270112T090000Z\r\nDTEND:20270112T100000Z\r\n"
        ),
        remote("UID:i\r\nDTSTART:20270112T090000Z\r\n"),
    ]
    assert outside_busy(events, person=person, own_uids=set(), now=NOW) == []


def test_a_recurring_outside_event_is_busy_at_each_occurrence_in_the_window():
    person = factories.UserFactory.build(timezone="Europe/London")
    weekly = remote(
        "UID:w\r\nDTSTART:20270111T120000Z\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
    )
    rows = busy_of(weekly, person=person, start=NOW, end=NOW + dt.timedelta(days=60))
    assert [start.date().isoformat() for _r, start, _e in rows] == [
        "2027-01-11",
        "2027-01-18",
        "2027-01-25",
    ]


def test_salesteams_own_events_and_unreadable_ones_are_never_busy(rep):
    meeting = factories.MeetingFactory(rep=rep)
    own = remote(
        f"UID:{meeting_uid(meeting)}\r\nDTSTART:20270112T090000Z\r\nDTEND:20270112T100000Z\r\n"
    )
    broken = RemoteObject(href="b.ics", etag="", data="not a calendar")
    assert is_own_uid(meeting_uid(meeting))
    assert not is_own_uid("meeting-1@elsewhere.example")
    assert outside_busy([own, broken], person=rep, own_uids=set(), now=NOW) == []


def test_backoff_doubles_from_a_minute_up_to_six_hours():
    waits = [connections.backoff(n, jitter=0) for n in (1, 2, 3, 10, 30)]
    assert waits == [
        dt.timedelta(minutes=1),
        dt.timedelta(minutes=2),
        dt.timedelta(minutes=4),
        dt.timedelta(hours=6),
        dt.timedelta(hours=6),
    ]
    assert (
        dt.timedelta(seconds=48) <= connections.backoff(1) <= dt.timedelta(seconds=72)
    )


def make_connection(person, **fields):
    return CalendarConnection.objects.create(
        person=person,
        server_url="https://dav.example.com/",
        username="u",
        password="p",
        calendar_url="https://dav.example.com/u/c/",
        **fields,
    )


def test_due_are_new_ones_stale_healthy_ones_and_failing_ones_whose_retry_came(team):
    now = timezone.now()
    people = [factories.RepFactory(team=team) for _ in range(5)]
    new = make_connection(people[0])
    stale = make_connection(
        people[1],
        status=ConnectionStatus.OK,
        last_synced_at=now - dt.timedelta(hours=1),
    )
    make_connection(people[2], status=ConnectionStatus.OK, last_synced_at=now)
    retry = make_connection(
        people[3],
        status=ConnectionStatus.FAILING,
        next_attempt_at=now - dt.timedelta(seconds=1),
    )
    make_connection(
        people[4],
        status=ConnectionStatus.FAILING,
        next_attempt_at=now + dt.timedelta(minutes=5),
    )

    due = connections.connections_due(now=now, every=dt.timedelta(minutes=10))

    assert due == [new.pk, stale.pk, retry.pk]


def test_a_second_sync_of_one_calendar_waits_and_asks_the_first_to_go_again(rep):
    connection = make_connection(rep)
    now = timezone.now()
    assert connections.connection_claim(connection_id=connection.pk, now=now)
    assert not connections.connection_claim(connection_id=connection.pk, now=now)
    assert connections.connection_release(connection_id=connection.pk)  # go again
    # A lease whose sync died is taken over after SYNC_LEASE
    assert connections.connection_claim(connection_id=connection.pk, now=now)
    later = now + connections.SYNC_LEASE + dt.timedelta(seconds=1)
    assert connections.connection_claim(connection_id=connection.pk, now=later)


def test_the_documents_are_the_persons_meetings_with_a_hash_that_ignores_dtstamp(rep):
    meeting = factories.MeetingFactory(rep=rep)
    first = documents_for(person=rep, now=timezone.now())
    again = documents_for(person=rep, now=timezone.now() + dt.timedelta(minutes=5))
    uid = meeting_uid(meeting)
    assert list(first) == [uid]
    assert first[uid].content_hash == again[uid].content_hash
    meeting.title = "Renamed"
    meeting.save()
    assert documents_for(person=rep, now=timezone.now())[uid].content_hash != (
        first[uid].content_hash
    )


def test_booking_costs_no_query_and_no_task_while_nobody_has_a_calendar(
    rep, monkeypatch, django_assert_num_queries
):
    queued = []
    monkeypatch.setattr(receivers, "enqueue", lambda task, *args: queued.append(args))
    with django_assert_num_queries(1):  # is anyone connected? (then cached)
        receivers.meeting_changed("meeting.scheduled", {"meeting_id": 1})
    with django_assert_num_queries(0):
        receivers.meeting_changed("meeting.cancelled", {"meeting_id": 1})
    assert queued == []

    make_connection(rep)
    connections.cache.delete(connections.CONNECTED_KEY)
    receivers.meeting_changed("meeting.rescheduled", {"meeting_id": 7})
    receivers.meeting_changed("plan.opened", {"plan_id": 7})
    assert queued == [(7,)]


def test_the_periodic_sync_is_declared():
    from salesteam.periodic import PERIODIC_TASKS

    specs = {spec.task: spec for spec in PERIODIC_TASKS}
    assert specs["integrations.calendars_sync_due"].every_seconds == 300


def test_the_periodic_task_queues_each_due_calendar(rep, monkeypatch):
    from integrations.calendars import tasks

    connection = make_connection(rep)
    queued = []
    monkeypatch.setattr(tasks, "enqueue", lambda task, *args: queued.append(args))

    assert tasks.calendars_sync_due() == 1
    assert queued == [(connection.pk,)]


def test_a_change_reaches_the_calendars_of_its_people_not_yet_synced_since(team):
    meeting = factories.MeetingFactory(rep=factories.RepFactory(team=team))
    changed = meeting.updated_at
    behind = make_connection(
        meeting.rep, last_synced_at=changed - dt.timedelta(minutes=1)
    )
    make_connection(team.manager, last_synced_at=changed + dt.timedelta(seconds=1))
    make_connection(factories.RepFactory(team=team))  # not taking part

    found = connections.connections_for_meeting(
        meeting_id=meeting.pk, now=timezone.now(), changed_after=changed
    )

    assert found == [behind.pk]
    CalendarConnection.objects.filter(pk=behind.pk).update(
        status=ConnectionStatus.FAILING,
        next_attempt_at=timezone.now() + dt.timedelta(minutes=5),
    )
    assert (
        connections.connections_for_meeting(
            meeting_id=meeting.pk, now=timezone.now(), changed_after=changed
        )
        == []
    )  # waiting out its backoff
