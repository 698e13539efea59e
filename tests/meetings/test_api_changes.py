"""PATCH /api/v1/meetings/<id>/: notes, private notes, status, attendance, agenda, time."""

import datetime as dt
import zoneinfo

import pytest

from meetings.models import Meeting, MeetingStatus
from meetings.services import meeting_schedule
from tests import factories
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")


@pytest.fixture
def meeting(rep, manager):
    return factories.MeetingFactory(rep=rep, organiser=manager)


def patch(user, meeting, body: dict):
    return api_client_for(user).patch(
        f"/api/v1/meetings/{meeting.pk}/", body, format="json"
    )


def test_the_manager_records_notes_private_notes_attendance_and_done(
    manager, rep, meeting
):
    # When the manager sends the meeting's outcome in one PATCH
    response = patch(
        manager,
        meeting,
        {
            "notes": "Pipeline reviewed.",
            "private_notes": "Needs coaching on closing.",
            "attendance": [
                {"user": rep.pk, "attended": True},
                {"user": manager.pk, "attended": True},
            ],
            "status": "done",
        },
    )

    # Then all of it is saved and comes back
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["notes"] == "Pipeline reviewed."
    assert body["private_notes"] == "Needs coaching on closing."
    assert body["status"] == "done"
    assert sorted(row["attended"] for row in body["attendance"]) == [True, True]

    # And the rep reads the notes but never the private ones
    seen_by_rep = api_client_for(rep).get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert seen_by_rep["notes"] == "Pipeline reviewed."
    assert seen_by_rep["private_notes"] is None
    assert "coaching on closing" not in str(seen_by_rep)


def test_a_rep_may_not_change_the_meeting_and_nothing_is_written(rep, meeting):
    response = patch(rep, meeting, {"private_notes": "mine now", "notes": "x"})

    assert response.status_code == 403
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.private_notes) == ("", "")


def test_another_teams_manager_gets_a_404(meeting):
    response = patch(factories.ManagerFactory(), meeting, {"notes": "x"})
    assert response.status_code == 404


def test_the_agenda_is_replaced_by_the_list_given(manager, meeting):
    # Given a meeting with an agenda item
    meeting.agenda_items.create(position=0, text="Old item")

    # When the manager sends a new agenda
    response = patch(manager, meeting, {"agenda": ["Numbers", "Next month"]})

    # Then it replaces the old one, in the order given
    assert response.status_code == 200
    assert response.json()["agenda"] == ["Numbers", "Next month"]
    assert list(meeting.agenda_items.values_list("text", flat=True)) == [
        "Numbers",
        "Next month",
    ]


def test_a_blank_agenda_item_is_refused(manager, meeting):
    response = patch(manager, meeting, {"agenda": ["Numbers", "  "]})

    assert response.status_code == 400
    assert list(response.json()) == ["agenda"]


def test_cancelling_through_patch(manager, meeting):
    response = patch(manager, meeting, {"status": "cancelled"})

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_a_done_meeting_cannot_be_cancelled(manager, meeting):
    patch(manager, meeting, {"status": "done"})

    response = patch(manager, meeting, {"status": "cancelled"})

    assert response.status_code == 400
    assert response.json() == {"status": ["This meeting is done already."]}


def test_scheduled_is_not_a_status_a_patch_sets(manager, meeting):
    response = patch(manager, meeting, {"status": "scheduled"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_bad_input_is_a_400_per_field_and_nothing_is_half_written(
    manager, rep, meeting
):
    # Given a PATCH whose notes are fine but whose attendance names a stranger
    stranger = factories.RepFactory()
    response = patch(
        manager,
        meeting,
        {"notes": "Saved?", "attendance": [{"user": stranger.pk, "attended": True}]},
    )

    # Then it is a 400 on attendance, and the notes were not saved either
    assert response.status_code == 400
    assert list(response.json()) == ["attendance"]
    meeting.refresh_from_db()
    assert meeting.notes == ""


def test_a_start_without_an_offset_or_in_the_past_is_refused(manager, meeting):
    naive = patch(manager, meeting, {"starts_at": "2030-01-15T09:00:00"})
    past = patch(manager, meeting, {"starts_at": "2020-01-15T09:00:00Z"})

    assert naive.status_code == 400 and list(naive.json()) == ["starts_at"]
    assert past.json() == {"starts_at": ["A meeting cannot be scheduled in the past."]}


def test_put_is_not_offered(manager, meeting):
    response = api_client_for(manager).put(
        f"/api/v1/meetings/{meeting.pk}/", {"notes": "x"}, format="json"
    )
    assert response.status_code == 405


@pytest.fixture
def weekly(settings, team):
    settings.MEETINGS_HORIZON_DAYS = 35
    team.manager.timezone = "Europe/Athens"
    team.manager.save(update_fields=["timezone"])
    first = meeting_schedule(
        organiser=team.manager,
        kind="team",
        title="Monday kick-off",
        starts_at=dt.datetime(2030, 1, 14, 10, 0, tzinfo=ATHENS),
        duration_minutes=30,
        team=team,
        recurrence="weekly",
        now=dt.datetime(2030, 1, 10, tzinfo=dt.UTC),
    )
    return list(first.series.meetings.order_by("series_slot"))


def athens_times(meetings) -> list[str]:
    return [m.starts_at.astimezone(ATHENS).strftime("%d %H:%M") for m in meetings]


def test_moving_this_and_following_occurrences(manager, weekly):
    # When the second occurrence and the ones after it move to 11:00, 45 minutes long
    response = patch(
        manager,
        weekly[1],
        {
            "starts_at": "2030-01-21T11:00:00+02:00",
            "duration_minutes": 45,
            "scope": "following",
        },
    )

    # Then the first stays at 10:00 and the rest move
    assert response.status_code == 200, response.json()
    assert athens_times(Meeting.objects.order_by("starts_at")) == [
        "14 10:00",
        "21 11:00",
        "28 11:00",
        "04 11:00",
        "11 11:00",
    ]
    assert response.json()["duration_minutes"] == 45


def test_moving_this_occurrence_only(manager, weekly):
    response = patch(
        manager, weekly[1], {"starts_at": "2030-01-22T10:00:00+02:00", "scope": "this"}
    )

    assert response.status_code == 200
    assert athens_times(Meeting.objects.order_by("series_slot")) == [
        "14 10:00",
        "22 10:00",
        "28 10:00",
        "04 10:00",
        "11 10:00",
    ]


def test_cancelling_this_and_following(manager, weekly):
    response = patch(manager, weekly[2], {"status": "cancelled", "scope": "following"})

    assert response.status_code == 200
    statuses = list(
        Meeting.objects.order_by("series_slot").values_list("status", flat=True)
    )
    assert statuses == [MeetingStatus.SCHEDULED] * 2 + [MeetingStatus.CANCELLED] * 3
