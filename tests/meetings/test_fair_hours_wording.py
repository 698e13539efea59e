"""What the schedule and meeting pages say about fair hours: a rotation only when it
lowers the most anyone carries, counts that read as meetings, a rotating series' times."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import MeetingSeries
from meetings.services import series_fill_window
from tests import factories
from tests.meetings.test_fair_hours import preview_params, world_team  # noqa: F401

pytestmark = pytest.mark.django_db


def test_no_rotation_is_offered_when_the_most_anyone_carries_stays_the_same(client):
    # Given a New York manager, an Athens rep, and a rep who works no day at all (so
    # every time is outside their hours: 12 of 12 whatever is chosen)
    manager = factories.ManagerFactory(first_name="Mark")
    team = factories.TeamFactory(manager=manager)
    factories.RepFactory(team=team, first_name="Eleni", timezone="Europe/Athens")
    factories.RepFactory(team=team, first_name="Rest", work_days=[])
    client.force_login(manager)
    # When Mark enters 03:00 his time (outside his own hours too: 12 for him)
    html = client.get(
        reverse("meetings:slot_preview"),
        preview_params(team, starts_at="2030-03-04T03:00"),
    ).content.decode()
    # Then a fairer total exists, but the most anyone carries stays 12: no rotation
    assert 'data-testid="burden-entered"' in html
    assert "rotation-suggestion" not in html
    assert "goes from 12 to 12" not in html


def test_the_running_count_reads_as_meetings_outside_work_hours(client, world_team):  # noqa: F811
    manager, team = world_team
    client.force_login(manager)
    html = client.get(
        reverse("meetings:slot_preview"), preview_params(team)
    ).content.decode()
    assert html.count("0 meetings outside work hours in 90 days") == 4


def test_a_rotating_series_says_its_times_in_the_viewers_own_zone(client, world_team):  # noqa: F811
    manager, team = world_team
    client.force_login(manager)
    client.post(
        reverse("meetings:schedule"),
        preview_params(
            team,
            title="Team sync",
            starts_at="2030-03-04T19:00",
            alternate_times="09:00",
            confirm="True",
        ),
    )
    series = MeetingSeries.objects.get()
    series_fill_window(
        viewer=manager, start=None, end=dt.datetime(2030, 3, 25, tzinfo=dt.UTC)
    )
    first = series.meetings.order_by("starts_at").first()
    url = reverse("meetings:detail", args=[first.pk])
    page = client.get(url).content.decode()
    assert "Every week, alternating 19:00 and 09:00" in page
    # Eleni in Athens: 19:00 New York is 02:00, 09:00 is 16:00 (before either DST)
    eleni = team.members.get(first_name="Eleni")
    client.force_login(eleni)
    assert "Every week, alternating 02:00 and 16:00" in client.get(url).content.decode()
