"""iCal for a series: one VEVENT with RRULE, overrides with RECURRENCE-ID, VTIMEZONE.

Each feed is read back with icalendar and with vobject, an independent parser.
"""

import datetime as dt
import io
import zoneinfo

import icalendar
import pytest
import vobject
from django.urls import reverse

from meetings.calendars import ical_rule
from meetings.models import Meeting
from meetings.services import (
    feed_token_rotate,
    meeting_cancel,
    meeting_schedule,
    meeting_update,
)
from tests import factories

pytestmark = pytest.mark.django_db
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
NOW = dt.datetime(2027, 9, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def series(settings):
    """A weekly 10:00 Athens team meeting from Monday 4 October 2027, five generated."""
    settings.MEETINGS_HORIZON_DAYS = 49
    manager = factories.ManagerFactory(timezone="Europe/Athens")
    team = factories.TeamFactory(manager=manager)
    rep = factories.RepFactory(team=team, timezone="America/New_York")
    first = meeting_schedule(
        organiser=manager,
        kind="team",
        title="Monday kick-off",
        starts_at=dt.datetime(2027, 10, 4, 10, 0, tzinfo=ATHENS),
        duration_minutes=30,
        team=team,
        recurrence="weekly",
        now=NOW,
    )
    return first.series, manager, rep


def occurrence(series, day: int, month: int = 10) -> Meeting:
    return series.meetings.get(
        series_slot=dt.datetime(2027, month, day, 10, 0, tzinfo=ATHENS)
    )


def feed_of(client, person, *, host="testserver") -> bytes:
    token = feed_token_rotate(user=person).token
    response = client.get(reverse("meetings:feed", args=[token]), HTTP_HOST=host)
    assert response.status_code == 200
    return response.content


def test_the_feed_carries_the_series_as_one_vevent_with_rrule_and_overrides(
    client, series
):
    # Given a series with one occurrence moved to 11:00 and another cancelled
    series_row, manager, rep = series
    moved = occurrence(series_row, 11)
    meeting_update(
        meeting=moved,
        by=manager,
        starts_at=dt.datetime(2027, 10, 11, 11, 0, tzinfo=ATHENS),
        now=NOW,
    )
    meeting_cancel(meeting=occurrence(series_row, 18), by=manager, now=NOW)

    # When the rep's calendar app fetches the feed
    body = feed_of(client, rep)

    # Then icalendar reads one series event with its rule, and two overrides
    calendar = icalendar.Calendar.from_ical(body)
    masters = [e for e in calendar.events if "RECURRENCE-ID" not in e]
    overrides = [e for e in calendar.events if "RECURRENCE-ID" in e]
    (master,) = masters
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]
    assert master["DTSTART"].params["TZID"] == "Europe/Athens"
    assert master["DTSTART"].dt == dt.datetime(2027, 10, 4, 10, 0, tzinfo=ATHENS)
    assert {str(e["UID"]) for e in overrides} == {str(master["UID"])}
    by_slot = {e["RECURRENCE-ID"].dt: e for e in overrides}
    moved_event = by_slot[dt.datetime(2027, 10, 11, 10, 0, tzinfo=ATHENS)]
    assert moved_event["DTSTART"].dt == dt.datetime(2027, 10, 11, 11, 0, tzinfo=ATHENS)
    cancelled = by_slot[dt.datetime(2027, 10, 18, 10, 0, tzinfo=ATHENS)]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert [str(tz["TZID"]) for tz in calendar.timezones] == ["Europe/Athens"]

    # And vobject, parsing on its own, reads the same: one rule, RECURRENCE-IDs
    parsed = vobject.readOne(io.StringIO(body.decode()))
    events = parsed.vevent_list
    rules = [e for e in events if hasattr(e, "rrule")]
    assert len(rules) == 1
    assert rules[0].rrule.value == "FREQ=WEEKLY"
    recurrence_ids = sorted(
        e.recurrence_id.value for e in events if hasattr(e, "recurrence_id")
    )
    assert recurrence_ids == [
        dt.datetime(2027, 10, 11, 10, 0, tzinfo=ATHENS),
        dt.datetime(2027, 10, 18, 10, 0, tzinfo=ATHENS),
    ]


def test_the_rule_keeps_10_00_athens_across_dst_beyond_what_was_generated(
    client, series
):
    # Given the series (five occurrences generated, to 1 November)
    _series, _manager, rep = series

    # When vobject expands the feed's rule over ten weeks
    parsed = vobject.readOne(io.StringIO(feed_of(client, rep).decode()))
    (master,) = [e for e in parsed.vevent_list if hasattr(e, "rrule")]
    starts = list(master.getrruleset())[:10]

    # Then each is at 10:00 Athens, before and after the change on 31 October
    assert [start.astimezone(ATHENS).time() for start in starts] == [dt.time(10)] * 10
    assert [start.astimezone(dt.UTC).hour for start in starts] == [7] * 4 + [8] * 6


def test_a_cancelled_rest_of_the_series_ends_the_rule(client, series):
    # Given the rest of the series cancelled from 25 October
    series_row, manager, rep = series
    meeting_cancel(
        meeting=occurrence(series_row, 25), by=manager, scope="following", now=NOW
    )

    # When the feed is read
    calendar = icalendar.Calendar.from_ical(feed_of(client, rep))

    # Then the rule ends before 25 October (on the series' last day, 24 October), and
    # the cancelled occurrences need no overrides
    (master,) = calendar.events
    (until,) = master["RRULE"]["UNTIL"]
    assert until == dt.datetime(2027, 10, 24, 10, 0, tzinfo=ATHENS)


def test_a_slot_the_person_is_not_invited_to_is_an_exdate(client, series):
    # Given the rep left out of the 11 October occurrence
    series_row, _manager, rep = series
    occurrence(series_row, 11).attendance.filter(user=rep).delete()

    # When the rep's feed is read
    calendar = icalendar.Calendar.from_ical(feed_of(client, rep))

    # Then that slot is excluded from the rule
    (master,) = calendar.events
    exdates = [value.dt for value in master["EXDATE"].dts]
    assert exdates == [dt.datetime(2027, 10, 11, 10, 0, tzinfo=ATHENS)]


def test_the_meeting_ics_of_an_occurrence_carries_its_whole_series(client, series):
    series_row, manager, _rep = series
    client.force_login(manager)

    response = client.get(reverse("meetings:ics", args=[occurrence(series_row, 11).pk]))

    (event,) = icalendar.Calendar.from_ical(response.content).events
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert str(event["UID"]) == f"series-{series_row.pk}@127.0.0.1"


def test_uids_do_not_depend_on_the_host_the_feed_was_fetched_under(
    client, series, settings
):
    # Given a feed reachable under two host names
    settings.ALLOWED_HOSTS = ["calendar.example.com", "salesteam.example.org"]
    _series, _manager, rep = series
    token = feed_token_rotate(user=rep).token
    factories.MeetingFactory(rep=rep)
    url = reverse("meetings:feed", args=[token])

    def uids(host: str) -> set[str]:
        body = client.get(url, HTTP_HOST=host).content
        return {str(e["UID"]) for e in icalendar.Calendar.from_ical(body).events}

    # When it is fetched under each
    # Then every event has the same UID both times
    assert uids("calendar.example.com") == uids("salesteam.example.org")
    assert all(uid.endswith("@127.0.0.1") for uid in uids("calendar.example.com"))


def test_a_feed_with_a_series_takes_the_same_two_queries(
    client, series, django_assert_num_queries
):
    # Given the rep's series, with one occurrence moved (an override)
    series_row, manager, rep = series
    meeting_update(
        meeting=occurrence(series_row, 11),
        by=manager,
        starts_at=dt.datetime(2027, 10, 11, 11, 0, tzinfo=ATHENS),
        now=NOW,
    )
    url = reverse("meetings:feed", args=[feed_token_rotate(user=rep).token])

    # When the feed is fetched
    # Then it takes the token and the meetings, as a feed without series does
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(icalendar.Calendar.from_ical(response.content).events) == 2


def test_a_biweekly_series_has_interval_2(series):
    # Given the series made fortnightly
    series_row, _manager, _rep = series
    series_row.recurrence = "biweekly"
    series_row.save(update_fields=["recurrence"])

    # When its rule is written, then it says every second week
    assert ical_rule(series_row) == {"freq": "WEEKLY", "interval": 2}
