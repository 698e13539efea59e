"""A rotating series: booked, generated, exported to calendars and changed."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
import recurring_ical_events
from django.core.exceptions import ValidationError

from meetings.calendars import calendar_for
from meetings.models import MeetingSeries
from meetings.selectors import with_details
from meetings.services import meeting_schedule, meeting_update, series_fill_window
from tests import factories
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = dt.datetime(2030, 2, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def rotating(settings):
    """Weekly from Monday 4 March 2030, 09:00 and 19:00 New York in turn, six made."""
    settings.MEETINGS_HORIZON_DAYS = 48
    manager = factories.ManagerFactory(timezone="America/New_York")
    team = factories.TeamFactory(manager=manager)
    factories.RepFactory(team=team, timezone="Australia/Sydney")
    first = meeting_schedule(
        organiser=manager,
        kind="team",
        title="Team sync",
        starts_at=dt.datetime(2030, 3, 4, 9, 0, tzinfo=NEW_YORK),
        duration_minutes=30,
        team=team,
        recurrence="weekly",
        alternate_times=[dt.time(19)],
        now=NOW,
    )
    return first.series, manager


def local_starts(series):
    return [
        m.starts_at.astimezone(NEW_YORK).strftime("%a %d %b %H:%M")
        for m in series.meetings.order_by("starts_at")
    ]


def test_the_occurrences_alternate_between_the_two_times(rotating):
    series, _manager = rotating
    assert series.rotation_times == ["09:00", "19:00"]
    assert local_starts(series) == [
        "Mon 04 Mar 09:00",
        "Mon 11 Mar 19:00",
        "Mon 18 Mar 09:00",
        "Mon 25 Mar 19:00",
        "Mon 01 Apr 09:00",
        "Mon 08 Apr 19:00",
    ]


def test_a_window_past_the_horizon_keeps_alternating(rotating):
    series, manager = rotating
    series_fill_window(
        viewer=manager,
        start=None,
        end=dt.datetime(2030, 4, 30, tzinfo=dt.UTC),
        now=NOW,
    )
    assert local_starts(series)[6:] == [
        "Mon 15 Apr 09:00",
        "Mon 22 Apr 19:00",
        "Mon 29 Apr 09:00",
    ]


def test_calendars_see_one_rule_with_the_rotation_as_overrides(rotating):
    series, _manager = rotating
    meetings = list(with_details(series.meetings.all()))

    calendar = icalendar.Calendar.from_ical(calendar_for(meetings))

    masters = [e for e in calendar.events if "RECURRENCE-ID" not in e]
    (master,) = masters
    assert {str(e["UID"]) for e in calendar.events} == {str(master["UID"])}
    # The rule stops at the last occurrence made, so nothing appears at a wrong time
    (until,) = master["RRULE"]["UNTIL"]
    assert until == dt.datetime(2030, 4, 8, 13, 0, tzinfo=dt.UTC)
    expanded = recurring_ical_events.of(calendar).between(
        dt.datetime(2030, 3, 1), dt.datetime(2030, 6, 1)
    )
    starts = sorted(e["DTSTART"].dt.astimezone(NEW_YORK) for e in expanded)
    assert [s.strftime("%d %H:%M") for s in starts] == [
        "04 09:00",
        "11 19:00",
        "18 09:00",
        "25 19:00",
        "01 09:00",
        "08 19:00",
    ]


def test_a_rotation_is_refused_for_a_monthly_meeting(rotating):
    _series, manager = rotating
    with pytest.raises(ValidationError) as refused:
        meeting_schedule(
            organiser=manager,
            kind="team",
            title="Monthly review",
            starts_at=dt.datetime(2030, 3, 5, 9, 0, tzinfo=NEW_YORK),
            duration_minutes=30,
            team=manager.managed_teams.get(),
            recurrence="monthly",
            alternate_times=[dt.time(19)],
            now=NOW,
        )
    assert "alternate_times" in refused.value.message_dict


def test_a_change_to_this_and_following_keeps_the_rotation_in_step(rotating):
    # Given the rotating series, retitled from its 19:00 occurrence of 25 March
    series, manager = rotating
    occurrence = series.meetings.order_by("starts_at")[3]
    meeting_update(
        meeting=occurrence, by=manager, scope="following", title="Sync", now=NOW
    )

    # Then the new series starts with 19:00 and the meetings keep their times
    successor = MeetingSeries.objects.exclude(pk=series.pk).get()
    assert successor.rotation_times == ["19:00", "09:00"]
    assert local_starts(successor) == [
        "Mon 25 Mar 19:00",
        "Mon 01 Apr 09:00",
        "Mon 08 Apr 19:00",
    ]

    # And moving the rest of a rotating series at once is refused with a reason
    with pytest.raises(ValidationError) as refused:
        meeting_update(
            meeting=successor.meetings.order_by("starts_at")[1],
            by=manager,
            scope="following",
            starts_at=dt.datetime(2030, 4, 1, 10, 0, tzinfo=NEW_YORK),
            now=NOW,
        )
    assert "starts_at" in refused.value.message_dict


def test_the_api_books_a_rotation_and_lists_its_alternating_times(world_team_api):
    # Given a New York manager booking a weekly meeting at 09:00 and 19:00 in turn
    manager, team, client = world_team_api
    response = client.post(
        "/api/v1/meetings/",
        {
            "kind": "team",
            "title": "Team sync",
            "starts_at": "2030-03-04T09:00:00-05:00",
            "duration_minutes": 30,
            "team": team.pk,
            "recurrence": "weekly",
            "alternate_times": ["19:00"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["rotation_times"] == ["09:00", "19:00"]

    # When the first three weeks are listed
    listed = client.get(
        "/api/v1/meetings/",
        {"from": "2030-03-04T00:00:00-05:00", "to": "2030-03-19T00:00:00-04:00"},
    ).json()["results"]

    # Then they alternate (in UTC: 14:00 EST, 23:00 EDT, 13:00 EDT)
    assert [row["starts_at"][11:16] for row in listed] == ["14:00", "23:00", "13:00"]


def test_the_api_refuses_a_rotation_of_a_monthly_meeting(world_team_api):
    _manager, team, client = world_team_api
    response = client.post(
        "/api/v1/meetings/",
        {
            "kind": "team",
            "title": "Team sync",
            "starts_at": "2030-03-04T09:00:00-05:00",
            "duration_minutes": 30,
            "team": team.pk,
            "recurrence": "monthly",
            "alternate_times": ["19:00"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "alternate_times" in response.json()


@pytest.fixture
def world_team_api():
    manager = factories.ManagerFactory(timezone="America/New_York")
    team = factories.TeamFactory(manager=manager)
    factories.RepFactory(team=team, timezone="Australia/Sydney")
    return manager, team, api_client_for(manager)
