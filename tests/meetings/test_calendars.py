"""iCal: per-meeting .ics and the secret per-person feed, parsed back with icalendar."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from meetings.calendars import calendar_for
from meetings.models import MeetingStatus
from meetings.services import feed_token_revoke, feed_token_rotate, meeting_cancel
from tests import factories

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def meeting(rep):
    return factories.MeetingFactory(
        rep=rep,
        title="Pipeline one-on-one",
        starts_at=dt.datetime(2027, 1, 12, 14, 0, tzinfo=dt.UTC),
        duration_minutes=45,
        video_url="https://zoom.us/j/123456789",
    )


def only_event(body: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(body)
    (event,) = calendar.events
    return event


def test_a_meeting_ics_has_every_field(meeting):
    # When the meeting is exported
    event = only_event(calendar_for([meeting]))

    # Then the start carries the organiser's zone, and the video link is URL and LOCATION
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event["DTSTART"].dt == dt.datetime(2027, 1, 12, 9, 0, tzinfo=NEW_YORK)
    assert event["DTEND"].dt == dt.datetime(2027, 1, 12, 9, 45, tzinfo=NEW_YORK)
    assert str(event["SUMMARY"]) == "Pipeline one-on-one"
    assert str(event["URL"]) == "https://zoom.us/j/123456789"
    assert str(event["LOCATION"]) == "https://zoom.us/j/123456789"
    assert str(event["STATUS"]) == "CONFIRMED"
    calendar = icalendar.Calendar.from_ical(calendar_for([meeting]))
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["America/New_York"]


def test_the_uid_is_stable_and_a_cancelled_meeting_is_marked_cancelled(
    meeting, manager
):
    uid_before = str(only_event(calendar_for([meeting]))["UID"])

    meeting_cancel(
        meeting=meeting, by=manager, now=meeting.starts_at - dt.timedelta(days=1)
    )
    meeting.refresh_from_db()
    event = only_event(calendar_for([meeting]))

    assert meeting.status == MeetingStatus.CANCELLED
    assert str(event["UID"]) == uid_before
    assert str(event["STATUS"]) == "CANCELLED"


def test_the_meeting_ics_download_page(client, meeting, rep):
    client.force_login(rep)
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert str(only_event(response.content)["URL"]) == meeting.video_url


def test_the_secret_feed_lists_the_persons_meetings_without_logging_in(client, rep):
    # Given two meetings of the rep (one cancelled) and one of somebody else
    mine = factories.MeetingFactory(rep=rep)
    cancelled = factories.MeetingFactory(rep=rep, status=MeetingStatus.CANCELLED)
    factories.MeetingFactory()
    token = feed_token_rotate(user=rep).token

    # When the calendar app fetches the feed URL (no session)
    response = client.get(reverse("meetings:feed", args=[token]))

    # Then it holds exactly the rep's meetings, the cancelled one marked so
    assert response.status_code == 200
    events = {
        str(event["UID"]): str(event["STATUS"])
        for event in icalendar.Calendar.from_ical(response.content).events
    }
    assert events == {
        f"meeting-{mine.pk}@127.0.0.1": "CONFIRMED",
        f"meeting-{cancelled.pk}@127.0.0.1": "CANCELLED",
    }


def test_a_rotated_or_revoked_feed_url_stops_working(client, rep):
    old = feed_token_rotate(user=rep).token
    new = feed_token_rotate(user=rep).token

    assert client.get(reverse("meetings:feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 200

    feed_token_revoke(user=rep)
    assert client.get(reverse("meetings:feed", args=[new])).status_code == 404


def test_the_feed_of_a_deactivated_person_is_gone(client, rep):
    token = feed_token_rotate(user=rep).token
    rep.is_active = False
    rep.save()
    assert client.get(reverse("meetings:feed", args=[token])).status_code == 404


def test_the_feed_query_count_does_not_grow_with_meetings(
    client, rep, django_assert_num_queries
):
    token = feed_token_rotate(user=rep).token
    url = reverse("meetings:feed", args=[token])
    factories.MeetingFactory(rep=rep)
    with django_assert_num_queries(2):
        client.get(url)
    factories.MeetingFactory.create_batch(6, rep=rep)
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(icalendar.Calendar.from_ical(response.content).events) == 7
