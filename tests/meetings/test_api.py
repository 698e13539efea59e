"""The meetings API: the contract outside tools rely on, scoped by the permission policy."""

import datetime as dt

import pytest

from meetings.models import Meeting, MeetingSeries
from tests import factories
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db
JAN_15 = dt.datetime(2030, 1, 15, 14, 0, tzinfo=dt.UTC)


def test_a_manager_books_a_weekly_team_meeting(manager, team, rep):
    # When the manager posts exactly the documented fields
    response = api_client_for(manager).post(
        "/api/v1/meetings/",
        {
            "kind": "team",
            "title": "Monday kick-off",
            "starts_at": "2030-01-14T14:00:00Z",
            "duration_minutes": 30,
            "team": team.pk,
            "recurrence": "weekly",
        },
    )

    # Then the first occurrence comes back, with a generated video link
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "team" and body["recurrence"] == "weekly"
    assert body["starts_at"] == "2030-01-14T14:00:00Z"
    assert body["video_url"].startswith("https://meet.jit.si/salesteam-")
    assert set(body["participants"]) == {manager.pk, rep.pk}
    assert body["private_notes"] == ""
    assert MeetingSeries.objects.count() == 1


def test_a_one_on_one_with_a_pasted_link(manager, rep):
    response = api_client_for(manager).post(
        "/api/v1/meetings/",
        {
            "kind": "one_on_one",
            "title": "1:1",
            "starts_at": "2030-01-15T14:00:00Z",
            "duration_minutes": 30,
            "participants": [rep.pk],
            "video_url": "https://teams.microsoft.com/l/meetup-join/abc",
        },
    )
    assert response.status_code == 201
    assert (
        response.json()["video_url"] == "https://teams.microsoft.com/l/meetup-join/abc"
    )
    assert response.json()["rep"] == rep.pk


def test_bad_input_is_a_400_with_a_message_per_field(manager, rep):
    response = api_client_for(manager).post(
        "/api/v1/meetings/",
        {
            "kind": "one_on_one",
            "title": "1:1",
            "starts_at": "2020-01-15T14:00:00Z",
            "duration_minutes": 30,
            "participants": [rep.pk],
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "starts_at": ["A meeting cannot be scheduled in the past."]
    }
    assert Meeting.objects.count() == 0


def test_a_rep_cannot_book_meetings(rep, manager):
    response = api_client_for(rep).post(
        "/api/v1/meetings/",
        {
            "kind": "team",
            "title": "x",
            "starts_at": "2030-01-15T14:00:00Z",
            "duration_minutes": 30,
            "participants": [manager.pk],
        },
    )
    assert response.status_code == 403


def test_a_rep_sees_only_their_meetings_and_never_private_notes(rep, team):
    mine = factories.MeetingFactory(rep=rep, private_notes="secret")
    factories.MeetingFactory(rep=factories.RepFactory(team=team))  # a colleague's
    factories.MeetingFactory()  # another team's

    client = api_client_for(rep)
    listing = client.get("/api/v1/meetings/").json()
    detail = client.get(f"/api/v1/meetings/{mine.pk}/").json()

    assert [row["id"] for row in listing["results"]] == [mine.pk]
    assert listing["results"][0]["private_notes"] is None
    assert detail["private_notes"] is None
    assert "secret" not in str(listing) + str(detail)


def test_the_manager_sees_private_notes_and_another_team_gets_404(manager, rep):
    meeting = factories.MeetingFactory(rep=rep, private_notes="secret")
    assert (
        api_client_for(manager)
        .get(f"/api/v1/meetings/{meeting.pk}/")
        .json()["private_notes"]
        == "secret"
    )
    other_manager = factories.ManagerFactory()
    response = api_client_for(other_manager).get(f"/api/v1/meetings/{meeting.pk}/")
    assert response.status_code == 404


def test_the_manager_above_lists_their_managers_meetings_but_not_their_reps(
    manager, rep
):
    # Given a manager above whose team the rep's manager is a member of
    above = factories.ManagerFactory()
    manager.team = factories.TeamFactory(manager=above)
    manager.save(update_fields=["team"])
    reps_meeting = factories.MeetingFactory(rep=rep, notes="shared")
    factories.ActionItemFactory(meeting=reps_meeting, owner=rep)
    managers_meeting = factories.MeetingFactory(
        rep=None, organiser=above, participants=[above, manager]
    )
    managers_item = factories.ActionItemFactory(meeting=managers_meeting, owner=manager)
    client = api_client_for(above)

    # When the manager above lists meetings and action items
    meetings = client.get("/api/v1/meetings/").json()["results"]
    items = client.get("/api/v1/action-items/").json()["results"]

    # Then the manager's own one-on-one is there and the rep's is not
    assert [row["id"] for row in meetings] == [managers_meeting.pk]
    assert [row["id"] for row in items] == [managers_item.pk]


def test_filters_user_kind_and_time_window(manager, team, rep):
    colleague = factories.RepFactory(team=team)
    in_window = factories.MeetingFactory(rep=rep, starts_at=JAN_15)
    factories.MeetingFactory(rep=rep, starts_at=JAN_15 + dt.timedelta(days=30))
    factories.MeetingFactory(rep=colleague, starts_at=JAN_15)
    coaching = factories.MeetingFactory(rep=rep, kind="coaching", starts_at=JAN_15)
    client = api_client_for(manager)

    def ids(query):
        response = client.get("/api/v1/meetings/" + query)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    window = "from=2030-01-15T00:00:00Z&to=2030-01-16T00:00:00Z"
    assert ids(f"?user={rep.pk}&{window}") == [in_window.pk, coaching.pk]
    assert ids(f"?user={rep.pk}&kind=coaching") == [coaching.pk]
    assert client.get("/api/v1/meetings/?from=yesterday").status_code == 400


def test_the_meetings_list_query_count_is_fixed(
    manager, rep, django_assert_num_queries
):
    client = api_client_for(manager)
    factories.MeetingFactory(rep=rep)
    with django_assert_num_queries(4):
        client.get("/api/v1/meetings/")
    factories.MeetingFactory.create_batch(10, rep=rep)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/meetings/")
    assert response.json()["count"] == 11


def test_action_items_api_create_list_and_complete(manager, rep):
    meeting = factories.MeetingFactory(rep=rep)
    created = api_client_for(manager).post(
        "/api/v1/action-items/",
        {
            "meeting": meeting.pk,
            "owner": rep.pk,
            "text": "Call Acme",
            "due_date": "2030-01-20",
        },
    )
    assert created.status_code == 201, created.json()

    rep_client = api_client_for(rep)
    listed = rep_client.get("/api/v1/action-items/?open=true").json()
    assert [row["text"] for row in listed["results"]] == ["Call Acme"]
    done = rep_client.post(f"/api/v1/action-items/{created.json()['id']}/complete/", {})
    assert done.status_code == 200 and done.json()["done"] is True
    assert rep_client.get("/api/v1/action-items/?open=true").json()["count"] == 0


def test_a_rep_cannot_add_action_items_or_see_another_teams(rep):
    meeting = factories.MeetingFactory(rep=rep)
    response = api_client_for(rep).post(
        "/api/v1/action-items/", {"meeting": meeting.pk, "owner": rep.pk, "text": "x"}
    )
    assert response.status_code == 403
    stranger_item = factories.ActionItemFactory()
    assert (
        api_client_for(rep).get(f"/api/v1/action-items/{stranger_item.pk}/").status_code
        == 404
    )


def test_the_action_items_list_query_count_is_fixed(rep, django_assert_num_queries):
    client = api_client_for(rep)
    meeting = factories.MeetingFactory(rep=rep)
    factories.ActionItemFactory(meeting=meeting)
    with django_assert_num_queries(2):
        client.get("/api/v1/action-items/")
    factories.ActionItemFactory.create_batch(8, meeting=meeting)
    with django_assert_num_queries(2):
        response = client.get("/api/v1/action-items/")
    assert response.json()["count"] == 9


def test_the_calendar_feed_address_via_the_api(rep):
    client = api_client_for(rep)
    assert client.get("/api/v1/calendar-feed/").json() == {"url": None}
    url = client.post("/api/v1/calendar-feed/").json()["url"]
    assert url.startswith("http://testserver/meetings/feed/") and url.endswith(".ics")
    assert client.get("/api/v1/calendar-feed/").json() == {"url": url}
    assert client.delete("/api/v1/calendar-feed/").status_code == 204
    assert client.get("/api/v1/calendar-feed/").json() == {"url": None}


def test_out_of_range_ids_and_dates_are_400s_not_500s(manager, rep):
    client = api_client_for(manager)
    huge = 99999999999999999999
    booking = {
        "kind": "team",
        "title": "x",
        "starts_at": "2030-01-14T14:00:00Z",
        "duration_minutes": 30,
    }
    assert (
        client.post(
            "/api/v1/meetings/", booking | {"participants": [huge], "team": huge}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/action-items/", {"meeting": huge, "owner": huge, "text": "x"}
        ).status_code
        == 400
    )
    assert client.get(f"/api/v1/meetings/?user={huge}").status_code == 400
    far = client.post(
        "/api/v1/meetings/",
        booking
        | {
            "starts_at": "9999-12-31T23:59:00Z",
            "participants": [rep.pk],
            "recurrence": "weekly",
        },
    )
    assert far.status_code == 400
    assert far.json() == {
        "starts_at": ["A meeting can be booked up to five years ahead."]
    }


def test_another_teams_rep_as_participant_reads_like_an_id_that_does_not_exist(
    manager, team
):
    # Given another team's rep, and an id nobody has
    stranger = factories.RepFactory(first_name="Zoe", last_name="Outsider")
    missing_id = stranger.pk + 1000
    client = api_client_for(manager)

    def book_with(person_id: int):
        return client.post(
            "/api/v1/meetings/",
            {
                "kind": "one_on_one",
                "title": "1:1",
                "starts_at": "2030-01-14T14:00:00Z",
                "duration_minutes": 30,
                "participants": [person_id],
            },
        )

    # When the manager names each as the participant
    named, missing = book_with(stranger.pk), book_with(missing_id)

    # Then both get the same 400, and neither names the stranger
    assert (named.status_code, missing.status_code) == (400, 400)
    assert named.json() == {
        "participants": [
            f"Invalid id “{stranger.pk}”: nobody you can invite to a meeting has "
            "this id."
        ]
    }
    assert missing.json() == {
        "participants": [
            f"Invalid id “{missing_id}”: nobody you can invite to a meeting has "
            "this id."
        ]
    }
    assert "Zoe" not in named.content.decode()
    assert not Meeting.objects.exists()
