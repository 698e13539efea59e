"""Series without a horizon: listing any window shows every occurrence in it."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from tests import factories
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
# 120 days before Monday 4 October 2027; Athens leaves summer time on 31 October.
NOW = dt.datetime(2027, 6, 6, 9, 0, tzinfo=dt.UTC)
TEN_WEEKS = {"from": "2027-10-04T00:00:00+03:00", "to": "2027-12-13T00:00:00+02:00"}


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def athens_team(frozen_now):
    manager = factories.ManagerFactory(timezone="Europe/Athens")
    team = factories.TeamFactory(manager=manager)
    factories.RepFactory(team=team, timezone="Europe/Athens")
    return team


def book_weekly_kick_off(team, *, title="Monday kick-off") -> dict:
    response = api_client_for(team.manager).post(
        "/api/v1/meetings/",
        {
            "kind": "team",
            "title": title,
            "starts_at": "2027-10-04T10:00:00+03:00",
            "duration_minutes": 30,
            "team": team.pk,
            "recurrence": "weekly",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def listed_starts(client, window: dict) -> list[dt.datetime]:
    response = client.get("/api/v1/meetings/", window)
    assert response.status_code == 200, response.json()
    return [
        dt.datetime.fromisoformat(row["starts_at"])
        for row in response.json()["results"]
    ]


def test_a_series_120_days_ahead_lists_10_occurrences_at_10_athens_across_dst(
    athens_team,
):
    # Given a weekly 10:00 Athens meeting booked to start 120 days ahead, far past
    # the 62-day horizon
    book_weekly_kick_off(athens_team)
    rep = athens_team.members.get()

    # When the rep lists ten weeks from its first occurrence
    starts = listed_starts(api_client_for(rep), TEN_WEEKS)

    # Then all ten are there, at 10:00 Athens on both sides of the change on 31 October
    assert len(starts) == 10
    assert [start.astimezone(ATHENS).time() for start in starts] == [dt.time(10)] * 10
    assert [start.astimezone(dt.UTC).hour for start in starts] == [7] * 4 + [8] * 6
    assert starts[0].astimezone(ATHENS).date() == dt.date(2027, 10, 4)
    assert starts[-1].astimezone(ATHENS).date() == dt.date(2027, 12, 6)


def test_listing_the_same_window_twice_creates_nothing_the_second_time(athens_team):
    book_weekly_kick_off(athens_team)
    client = api_client_for(athens_team.manager)

    first = listed_starts(client, TEN_WEEKS)
    count = Meeting.objects.count()
    second = listed_starts(client, TEN_WEEKS)

    assert first == second
    assert Meeting.objects.count() == count == 10


def test_a_window_without_an_end_lists_what_exists(athens_team):
    # Given the series (only its first occurrence exists past the horizon)
    book_weekly_kick_off(athens_team)

    # When the list has a start but no end
    starts = listed_starts(
        api_client_for(athens_team.manager), {"from": TEN_WEEKS["from"]}
    )

    # Then nothing is created: a window needs an end
    assert len(starts) == 1


def test_another_teams_series_is_not_filled_for_a_viewer_who_cannot_see_it(
    athens_team,
):
    book_weekly_kick_off(athens_team)
    outsider = factories.ManagerFactory()

    assert listed_starts(api_client_for(outsider), TEN_WEEKS) == []
    assert Meeting.objects.count() == 1


def test_the_meetings_list_query_count_does_not_grow_with_the_window(
    athens_team, django_assert_num_queries
):
    # Given a series, listed once over a year so that every occurrence exists
    book_weekly_kick_off(athens_team)
    client = api_client_for(athens_team.manager)
    year = {"from": TEN_WEEKS["from"], "to": "2028-10-04T00:00:00+03:00"}
    listed_starts(client, year)

    # When ten weeks and then a year are listed again
    # Then both take the same queries: series, existing slots, count, page, prefetches
    with django_assert_num_queries(6):
        assert len(listed_starts(client, TEN_WEEKS)) == 10
    with django_assert_num_queries(6):
        response = client.get("/api/v1/meetings/", year)
    assert response.json()["count"] == 53


def test_filling_a_window_takes_the_same_queries_for_ten_weeks_or_a_year(
    athens_team, django_assert_num_queries
):
    # Given two series, both materialised only up to their first occurrence
    book_weekly_kick_off(athens_team, title="Kick-off")
    client = api_client_for(athens_team.manager)

    # When one is filled over ten weeks and the other (booked after) over a year
    with django_assert_num_queries(12) as ten_weeks:
        listed_starts(client, TEN_WEEKS)
    Meeting.objects.all().delete()
    book_weekly_kick_off(athens_team, title="Kick-off again")
    with django_assert_num_queries(12) as year:
        client.get(
            "/api/v1/meetings/",
            {"from": TEN_WEEKS["from"], "to": "2028-10-04T00:00:00+03:00"},
        )

    # Then the number of queries is the same: occurrences are inserted in bulk
    assert len(ten_weeks) == len(year)


def test_the_team_calendar_shows_a_week_far_past_the_horizon(client, athens_team):
    # Given the series and a week in November, 5 months ahead
    book_weekly_kick_off(athens_team)
    client.force_login(athens_team.members.get())

    # When the rep opens the team calendar for that week
    html = client.get(
        reverse("meetings:calendar"), {"team": athens_team.pk, "week": "2027-11-08"}
    ).content.decode()

    # Then the week's occurrence is there, at 10:00 her (Athens) time
    assert "Monday kick-off" in html
    assert "10:00" in html
    assert Meeting.objects.filter(starts_at__date=dt.date(2027, 11, 8)).exists()
