"""Recurring meetings: rrule in the organiser's zone, generated ahead, edited in place."""

import datetime as dt
import zoneinfo

import pytest

from meetings.models import Meeting, MeetingStatus
from meetings.services import (
    meeting_cancel,
    meeting_schedule,
    meeting_update,
    series_generate_occurrences,
)
from tests import factories

ATHENS = zoneinfo.ZoneInfo("Europe/Athens")
UTC = dt.UTC
pytestmark = pytest.mark.django_db


@pytest.fixture
def athens_team(settings):
    # Booking a series generates its first occurrences up to this horizon.
    settings.MEETINGS_HORIZON_DAYS = 35
    manager = factories.ManagerFactory(timezone="Europe/Athens")
    team = factories.TeamFactory(manager=manager)
    factories.RepFactory(team=team, timezone="Europe/London")
    return team


def weekly_from_march_15(team, *, now):
    return meeting_schedule(
        organiser=team.manager,
        kind="team",
        title="Monday kick-off",
        starts_at=dt.datetime(2027, 3, 15, 10, 0, tzinfo=ATHENS),
        duration_minutes=45,
        team=team,
        recurrence="weekly",
        now=now,
    )


def test_a_weekly_10_00_athens_meeting_stays_at_10_00_athens_across_dst(athens_team):
    # Given a weekly team meeting at 10:00 Athens, from before the DST change (28 March)
    now = dt.datetime(2027, 3, 14, tzinfo=UTC)
    weekly_from_march_15(athens_team, now=now)

    # When occurrences are generated five weeks ahead
    series_generate_occurrences(horizon_days=35, now=now)

    # Then every occurrence is at 10:00 in Athens, though the UTC hour moves by one
    starts = list(
        Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True)
    )
    assert [start.astimezone(ATHENS).time() for start in starts] == [dt.time(10)] * 5
    assert [start.astimezone(UTC).hour for start in starts] == [8, 8, 7, 7, 7]
    assert [start.astimezone(ATHENS).date() for start in starts] == [
        dt.date(2027, 3, 15),
        dt.date(2027, 3, 22),
        dt.date(2027, 3, 29),
        dt.date(2027, 4, 5),
        dt.date(2027, 4, 12),
    ]


def test_every_occurrence_invites_the_team_and_has_the_series_video_link(athens_team):
    now = dt.datetime(2027, 3, 14, tzinfo=UTC)
    first = weekly_from_march_15(athens_team, now=now)
    series_generate_occurrences(horizon_days=14, now=now)

    meetings = Meeting.objects.prefetch_related("participants")
    assert {m.video_url for m in meetings} == {first.video_url}
    assert first.video_url.startswith("https://meet.jit.si/salesteam-")
    expected = {
        athens_team.manager.pk,
        *athens_team.members.values_list("pk", flat=True),
    }
    for meeting in meetings:
        assert {p.pk for p in meeting.participants.all()} == expected


def test_generating_occurrences_twice_creates_no_duplicates(athens_team):
    # Given a weekly series generated once
    now = dt.datetime(2027, 3, 14, tzinfo=UTC)
    weekly_from_march_15(athens_team, now=now)
    series_generate_occurrences(horizon_days=35, now=now)
    count = Meeting.objects.count()

    # When the periodic task runs again (and again, an hour later)
    created = series_generate_occurrences(horizon_days=35, now=now)
    created += series_generate_occurrences(
        horizon_days=35, now=now + dt.timedelta(hours=1)
    )

    # Then nothing new is created
    assert created == 0
    assert Meeting.objects.count() == count == 5


def test_the_periodic_task_generates_through_celery(athens_team, settings):
    from meetings.tasks import generate_occurrences

    now = dt.datetime(2027, 3, 14, tzinfo=UTC)
    weekly_from_march_15(athens_team, now=now)
    settings.MEETINGS_HORIZON_DAYS = 3650  # from today, so the 2027 slots are in reach
    before = Meeting.objects.count()

    # When the task runs twice through Celery
    created = generate_occurrences.delay().get()
    created_again = generate_occurrences.delay().get()

    # Then the first run adds the weeks up to the horizon, the second nothing
    assert created > 0
    assert Meeting.objects.count() == before + created
    assert created_again == 0


@pytest.mark.parametrize(
    ("recurrence", "dates"),
    [
        (
            "biweekly",
            [
                dt.date(2027, 3, 15),
                dt.date(2027, 3, 29),
                dt.date(2027, 4, 12),
                dt.date(2027, 4, 26),
                dt.date(2027, 5, 10),
            ],
        ),
        ("monthly", [dt.date(2027, 3, 15), dt.date(2027, 4, 15), dt.date(2027, 5, 15)]),
    ],
)
def test_biweekly_and_monthly_series(athens_team, recurrence, dates):
    now = dt.datetime(2027, 3, 14, tzinfo=UTC)
    meeting_schedule(
        organiser=athens_team.manager,
        kind="team",
        title="Review",
        starts_at=dt.datetime(2027, 3, 15, 10, 0, tzinfo=ATHENS),
        duration_minutes=30,
        team=athens_team,
        recurrence=recurrence,
        now=now,
    )
    series_generate_occurrences(horizon_days=70, now=now)
    starts = Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True)
    assert [s.astimezone(ATHENS).date() for s in starts] == dates


def test_editing_this_one_moves_only_that_occurrence_and_it_is_not_recreated(
    athens_team,
):
    now = dt.datetime(2027, 3, 14, tzinfo=UTC)
    first = weekly_from_march_15(athens_team, now=now)
    series_generate_occurrences(horizon_days=35, now=now)

    # When the first occurrence moves to 11:00
    meeting_update(
        meeting=first,
        by=athens_team.manager,
        scope="this",
        starts_at=dt.datetime(2027, 3, 15, 11, 0, tzinfo=ATHENS),
        now=now,
    )
    series_generate_occurrences(horizon_days=35, now=now)

    # Then only it moved, and regeneration did not bring back the 10:00 slot
    local_times = [
        m.starts_at.astimezone(ATHENS).time()
        for m in Meeting.objects.order_by("starts_at")
    ]
    assert local_times == [dt.time(11)] + [dt.time(10)] * 4


def test_editing_this_and_following_moves_the_rest_of_the_series(athens_team):
    now = dt.datetime(2027, 3, 14, tzinfo=UTC)
    weekly_from_march_15(athens_team, now=now)
    series_generate_occurrences(horizon_days=35, now=now)
    third = Meeting.objects.order_by("starts_at")[2]

    # When the third occurrence and those after it move to 09:30 and get a new title
    meeting_update(
        meeting=third,
        by=athens_team.manager,
        scope="following",
        title="Kick-off (new time)",
        starts_at=dt.datetime(2027, 3, 29, 9, 30, tzinfo=ATHENS),
        now=now,
    )
    series_generate_occurrences(horizon_days=42, now=now)

    # Then the first two are unchanged, the rest follow, and nothing is duplicated
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert [m.starts_at.astimezone(ATHENS).time() for m in meetings] == [
        dt.time(10),
        dt.time(10),
        dt.time(9, 30),
        dt.time(9, 30),
        dt.time(9, 30),
        dt.time(9, 30),
    ]
    assert [m.title for m in meetings[2:]] == ["Kick-off (new time)"] * 4
    assert meetings[0].series_id != meetings[2].series_id


def test_cancelling_this_and_following_ends_the_series(athens_team):
    now = dt.datetime(2027, 3, 14, tzinfo=UTC)
    weekly_from_march_15(athens_team, now=now)
    series_generate_occurrences(horizon_days=35, now=now)
    second = Meeting.objects.order_by("starts_at")[1]

    cancelled = meeting_cancel(
        meeting=second, by=athens_team.manager, scope="following", now=now
    )
    series_generate_occurrences(horizon_days=70, now=now)

    assert cancelled == 4
    statuses = list(
        Meeting.objects.order_by("starts_at").values_list("status", flat=True)
    )
    assert statuses == [MeetingStatus.SCHEDULED] + [MeetingStatus.CANCELLED] * 4
