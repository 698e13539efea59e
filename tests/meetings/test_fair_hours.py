"""Fair hours: the running out-of-hours count, and "find a time" that spares the most
burdened person; the schedule page shows both in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.fair_hours import (
    fair_time_suggestions,
    out_of_hours_counts,
    outside_work_hours,
)
from meetings.models import MeetingSeries, MeetingStatus
from meetings.services import series_fill_window
from tests import factories

pytestmark = pytest.mark.django_db
# Monday 4 March 2030, 06:00 UTC: the start of a search week.
MONDAY = dt.datetime(2030, 3, 4, 6, 0, tzinfo=dt.UTC)


def test_outside_work_hours_reads_the_persons_own_days_and_hours():
    athens = factories.RepFactory(timezone="Europe/Athens")
    # 16:00–16:30 in Athens on a Monday is inside; 16:45–17:15 runs past 17:00
    assert not outside_work_hours(
        athens, starts_at=dt.datetime(2030, 3, 4, 14, tzinfo=dt.UTC), minutes=30
    )
    assert outside_work_hours(
        athens, starts_at=dt.datetime(2030, 3, 4, 14, 45, tzinfo=dt.UTC), minutes=30
    )
    # Saturday is not one of her work days
    assert outside_work_hours(
        athens, starts_at=dt.datetime(2030, 3, 9, 10, tzinfo=dt.UTC), minutes=30
    )


def test_the_running_count_is_the_last_90_days_of_invitations_outside_hours(rep):
    # Given meetings of the Athens rep: two at 22:00 her time in the last 90 days, one
    # inside her hours, one cancelled, one 100 days ago and one still to come
    now = timezone.now()
    late = (now - dt.timedelta(days=10)).astimezone(rep.zone).replace(hour=22)
    for starts_at in [late, late - dt.timedelta(days=30)]:
        factories.MeetingFactory(rep=rep, starts_at=starts_at)
    inside = late.replace(hour=11) - dt.timedelta(days=late.isoweekday() - 1)
    factories.MeetingFactory(rep=rep, starts_at=inside)
    factories.MeetingFactory(
        rep=rep, starts_at=late - dt.timedelta(days=2), status=MeetingStatus.CANCELLED
    )
    factories.MeetingFactory(rep=rep, starts_at=late - dt.timedelta(days=90))
    factories.MeetingFactory(rep=rep, starts_at=late + dt.timedelta(days=20))
    other = factories.RepFactory()

    # When the counts are read for her and someone with no meetings
    counts = out_of_hours_counts(people=[rep, other], now=now)

    # Then only the two late, live, recent ones count
    assert counts == {rep.pk: 2, other.pk: 0}


@pytest.fixture
def athens_and_sydney():
    """Two people whose work hours never meet (in March: 07–15 and 22–06 UTC)."""
    return (
        factories.RepFactory(first_name="Eleni", timezone="Europe/Athens"),
        factories.RepFactory(first_name="Liam", timezone="Australia/Sydney"),
    )


@pytest.mark.parametrize("heaviest", ["Eleni", "Liam"])
def test_find_a_time_spares_whoever_already_carries_the_most(
    athens_and_sydney, heaviest
):
    # Given no shared hours, and one of the two with more out-of-hours meetings
    people = list(athens_and_sydney)
    carried = {p.pk: (4 if p.first_name == heaviest else 1) for p in people}

    # When a time is found
    suggestions = fair_time_suggestions(
        people=people, duration_minutes=30, after=MONDAY, carried=carried
    )

    # Then every suggestion is inside the heaviest carrier's hours, outside the other's
    assert len(suggestions) == 5
    for suggestion in suggestions:
        assert [c.person.first_name for c in suggestion.outside] != [heaviest]
        assert len(suggestion.outside) == 1
        assert suggestion.outside[0].carried == 1


def test_find_a_time_offers_shared_hours_first_and_reads_the_counts(rep, manager):
    suggestions = fair_time_suggestions(
        people=[rep, manager], duration_minutes=30, after=MONDAY
    )
    assert len(suggestions) == 5
    assert all(not suggestion.outside for suggestion in suggestions)


@pytest.fixture
def world_team():
    """A New York manager and a team in Athens, New York and Sydney."""
    manager = factories.ManagerFactory(first_name="Mark")
    team = factories.TeamFactory(manager=manager)
    for name, zone in [
        ("Eleni", "Europe/Athens"),
        ("Jane", "America/New_York"),
        ("Liam", "Australia/Sydney"),
    ]:
        factories.RepFactory(team=team, first_name=name, timezone=zone)
    return manager, team


def preview_params(team, **extra):
    return {
        "kind": "team",
        "title": "",
        "starts_at": "2030-03-04T09:00",  # Monday 09:00 New York
        "duration_minutes": 30,
        "team": team.pk,
        "recurrence": "weekly",
        **extra,
    }


def test_the_preview_shows_the_burden_and_suggests_a_rotation(client, world_team):
    manager, team = world_team
    client.force_login(manager)
    html = client.get(
        reverse("meetings:slot_preview"), preview_params(team)
    ).content.decode()

    # Each person's running count, and the burden of the fixed slot: Sydney 12 of 12
    assert html.count('data-testid="carried"') == 4
    assert "0 meetings outside work hours in 90 days" in html
    assert 'data-testid="burden-entered"' in html
    assert "Tue 01:00" in html  # 09:00 New York in Sydney before 10 March
    assert "12 meetings" in html
    # And the rotation that shares it: 19:00 and 09:00, six each
    assert 'data-testid="rotation-suggestion"' in html
    assert 'data-starts="2030-03-04T19:00" data-rotation="09:00"' in html
    assert "goes from 12 to 6" in html


def test_a_rotation_as_entered_is_previewed_and_not_suggested_again(client, world_team):
    manager, team = world_team
    client.force_login(manager)
    html = client.get(
        reverse("meetings:slot_preview"),
        preview_params(team, starts_at="2030-03-04T19:00", alternate_times="09:00"),
    ).content.decode()
    assert 'data-testid="burden-entered"' in html
    assert "rotation-suggestion" not in html
    assert html.count("6 meetings") == 4


def test_the_manager_books_the_rotation_from_the_form(client, world_team):
    manager, team = world_team
    client.force_login(manager)
    response = client.post(
        reverse("meetings:schedule"),
        preview_params(
            team,
            title="Team sync",
            starts_at="2030-03-04T19:00",
            alternate_times="09:00",
            confirm="True",
        ),
    )
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert series.rotation_times == ["19:00", "09:00"]
    # (2030 is past the generation horizon: a listing of March fills it in)
    series_fill_window(
        viewer=manager, start=None, end=dt.datetime(2030, 3, 25, tzinfo=dt.UTC)
    )
    starts = [
        m.starts_at.astimezone(manager.zone).strftime("%d %H:%M")
        for m in series.meetings.order_by("starts_at")[:3]
    ]
    assert starts == ["04 19:00", "11 09:00", "18 19:00"]


def test_a_bad_alternate_time_is_refused_beside_the_field(client, world_team):
    manager, team = world_team
    client.force_login(manager)
    response = client.post(
        reverse("meetings:schedule"),
        preview_params(team, title="Team sync", alternate_times="7pm"),
    )
    assert response.status_code == 200
    assert "Give times as HH:MM" in response.content.decode()
    assert not MeetingSeries.objects.exists()


def grow(team, size):
    for index in range(size):
        zone = ["Europe/Athens", "America/New_York", "Australia/Sydney"][index % 3]
        factories.RepFactory(team=team, timezone=zone)
        factories.MeetingFactory(
            rep=team.members.last(),
            starts_at=timezone.now() - dt.timedelta(days=3, hours=index),
        )


@pytest.mark.parametrize("extra", [0, 9])
def test_the_preview_and_find_a_time_take_a_fixed_number_of_queries(
    client, world_team, django_assert_num_queries, extra
):
    manager, team = world_team
    grow(team, extra)
    client.force_login(manager)
    client.get(reverse("meetings:schedule"))  # the session is warm

    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:schedule"))
    assert response.status_code == 200
    # session, user, the chosen team, its members, the running counts (one query for
    # everyone), the unread-notifications badge
    with django_assert_num_queries(6):
        response = client.get(reverse("meetings:slot_preview"), preview_params(team))
    assert response.content.decode().count('data-testid="carried"') == 4 + extra
    with django_assert_num_queries(7):
        response = client.get(
            reverse("meetings:find_time"),
            {"team": team.pk, "duration_minutes": 30, "kind": "team"},
        )
    html = response.content.decode()
    assert html.count('data-testid="suggestion"') == 5
    # No time suits Athens, New York and Sydney: each leaves out one person
    assert "The fairest times" in html
    assert html.count('data-testid="suggestion-outside"') == 5


def test_find_a_time_reads_who_carries_the_most_from_their_meetings(
    athens_and_sydney,
):
    # Given Liam in Sydney with two meetings at 03:00 his time in the last weeks
    eleni, liam = athens_and_sydney
    for days in (5, 12):
        late = (timezone.now() - dt.timedelta(days=days)).astimezone(liam.zone)
        factories.MeetingFactory(
            rep=liam, starts_at=late.replace(hour=3, minute=0, second=0, microsecond=0)
        )

    # When a time is found for the two of them
    suggestions = fair_time_suggestions(
        people=[eleni, liam], duration_minutes=30, after=MONDAY
    )

    # Then each suggestion is inside Liam's hours and asks the evening of Eleni
    assert [
        [(c.person, c.carried) for c in suggestion.outside]
        for suggestion in suggestions
    ] == [[(eleni, 0)]] * 5
