"""Meeting pages: what each viewer sees, in their own time zone, in a fixed query count."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import ActionItem, Meeting, MeetingSeries, MeetingStatus
from meetings.services import feed_token_rotate
from tests import factories

pytestmark = pytest.mark.django_db

# A Tuesday, 14:00 UTC: 16:00 in Athens (the rep), 09:00 in New York (the manager).
TUESDAY_1400 = dt.datetime(2030, 1, 15, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def meeting(rep):
    return factories.MeetingFactory(
        rep=rep, title="Eleni 1:1", starts_at=TUESDAY_1400, duration_minutes=30
    )


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_rep_sees_the_meeting_in_her_time_with_a_join_button(client, rep, meeting):
    html = page(client, rep, reverse("meetings:detail", args=[meeting.pk]))
    assert "Tuesday 15 January 2030, 16:00–16:30" in html
    assert f'href="{meeting.video_url}"' in html and 'data-testid="join-button"' in html


def test_the_manager_sees_the_same_meeting_in_his_time(client, manager, meeting):
    html = page(client, manager, reverse("meetings:detail", args=[meeting.pk]))
    assert "Tuesday 15 January 2030, 09:00–09:30" in html


def test_private_notes_are_for_the_manager_only(client, manager, rep, meeting):
    meeting.notes = "Shared: pipeline review"
    meeting.private_notes = "Private: watch morale"
    meeting.save()
    url = reverse("meetings:detail", args=[meeting.pk])

    assert "Private: watch morale" in page(client, manager, url)
    rep_html = page(client, rep, url)
    assert "Shared: pipeline review" in rep_html
    assert "Private: watch morale" not in rep_html
    assert "notes-form" not in rep_html


def test_notes_over_the_free_text_cap_are_refused_beside_the_field(
    client, manager, meeting
):
    # Given the manager running the one-on-one
    client.force_login(manager)

    # When they save shared notes one character over the cap
    response = client.post(
        reverse("meetings:notes", args=[meeting.pk]), {"notes": "n" * 5001}
    )

    # Then the form says so and nothing is saved
    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.notes == ""


def test_a_rep_asking_for_a_meeting_they_are_not_in_gets_a_404(client, team, meeting):
    colleague = factories.RepFactory(team=team)  # same team, not in this one-on-one
    client.force_login(colleague)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("meetings:ics", args=[meeting.pk])).status_code == 404


# Page query counts include the layout's: session, user, unread notifications.
def test_my_meetings_page_query_count_is_fixed(client, rep, django_assert_num_queries):
    client.force_login(rep)
    url = reverse("meetings:list")
    factories.MeetingFactory(rep=rep, starts_at=TUESDAY_1400)
    with django_assert_num_queries(8):
        client.get(url)
    factories.MeetingFactory.create_batch(12, rep=rep, starts_at=TUESDAY_1400)
    with django_assert_num_queries(8):
        html = client.get(url).content.decode()
    assert html.count('data-testid="meeting-row"') == 13


def test_my_meetings_upcoming_and_past_with_empty_states(client, rep):
    html = page(client, rep, reverse("meetings:list"))
    assert 'data-testid="empty-state"' in html
    factories.MeetingFactory(
        rep=rep, title="Last week", starts_at=timezone.now() - dt.timedelta(days=7)
    )
    factories.MeetingFactory(rep=rep, title="Next week")
    upcoming = page(client, rep, reverse("meetings:list"))
    past = page(client, rep, reverse("meetings:list"), show="past")
    assert "Next week" in upcoming and "Last week" not in upcoming
    assert "Last week" in past and "Next week" not in past


def test_my_meetings_is_paginated(client, rep):
    factories.MeetingFactory.create_batch(21, rep=rep, starts_at=TUESDAY_1400)
    first = page(client, rep, reverse("meetings:list"))
    second = page(client, rep, reverse("meetings:list"), page=2)
    assert first.count('data-testid="meeting-row"') == 20
    assert second.count('data-testid="meeting-row"') == 1
    assert "Page 1 of 2" in first


def test_meeting_page_query_count_is_fixed(
    client, manager, rep, meeting, django_assert_num_queries
):
    client.force_login(manager)
    url = reverse("meetings:detail", args=[meeting.pk])
    factories.ActionItemFactory(meeting=meeting, owner=rep)
    with django_assert_num_queries(10):
        client.get(url)
    factories.ActionItemFactory.create_batch(5, meeting=meeting, owner=rep)
    earlier = factories.MeetingFactory(
        rep=rep, starts_at=TUESDAY_1400 - dt.timedelta(days=7)
    )
    factories.ActionItemFactory.create_batch(3, meeting=earlier, owner=rep)
    with django_assert_num_queries(10):
        html = client.get(url).content.decode()
    assert html.count('data-testid="action-item"') == 6
    assert html.count('data-testid="carried-item"') == 3


def test_team_calendar_week_view_query_count_is_fixed(
    client, manager, rep, team, django_assert_num_queries
):
    client.force_login(manager)
    url = reverse("meetings:calendar")
    params = {"team": team.pk, "week": "2030-01-14"}
    factories.MeetingFactory(rep=rep, starts_at=TUESDAY_1400)
    # One more for a week past the horizon: the series that may need occurrences there.
    with django_assert_num_queries(8):
        client.get(url, params)
    for offset in range(6):
        factories.MeetingFactory(
            rep=factories.RepFactory(team=team),
            starts_at=TUESDAY_1400 + dt.timedelta(days=offset % 4),
        )
    with django_assert_num_queries(8):
        html = client.get(url, params).content.decode()
    assert html.count("meetings/") >= 7
    assert "09:00 " in html  # 14:00 UTC in the manager's New York time


def test_check_ins_page_query_count_is_fixed(
    client, manager, team, django_assert_num_queries
):
    client.force_login(manager)
    url = reverse("meetings:check_ins")
    factories.MeetingFactory(
        rep=factories.RepFactory(team=team), starts_at=TUESDAY_1400
    )
    with django_assert_num_queries(5):
        client.get(url)
    for _ in range(5):
        factories.MeetingFactory(
            rep=factories.RepFactory(team=team), starts_at=TUESDAY_1400
        )
    with django_assert_num_queries(5):
        html = client.get(url).content.decode()
    assert html.count('data-testid="check-in-row"') == 6


def test_one_on_one_history_query_count_is_fixed(
    client, manager, rep, django_assert_num_queries
):
    client.force_login(manager)
    url = reverse("meetings:rep_history", args=[rep.pk])
    first = factories.MeetingFactory(rep=rep, starts_at=TUESDAY_1400, notes="Good week")
    factories.ActionItemFactory(meeting=first, owner=rep)
    with django_assert_num_queries(11):  # + the target changes with a reason
        client.get(url)
    for week in range(1, 6):
        older = factories.MeetingFactory(
            rep=rep, starts_at=TUESDAY_1400 - dt.timedelta(weeks=week)
        )
        factories.ActionItemFactory.create_batch(2, meeting=older, owner=rep)
    with django_assert_num_queries(11):
        html = client.get(url).content.decode()
    assert html.count('data-testid="history-meeting"') == 6


def test_scheduling_a_weekly_team_meeting_from_the_form(client, manager, team, rep):
    client.force_login(manager)
    response = client.post(
        reverse("meetings:schedule"),
        {
            "kind": "team",
            "title": "Monday kick-off",
            "starts_at": "2030-01-14T09:00",  # the manager's New York time
            "duration_minutes": 30,
            "team": team.pk,
            "recurrence": "weekly",
            "agenda": "Wins\nPipeline",
        },
    )
    assert response.status_code == 302
    series = MeetingSeries.objects.get()
    assert (series.timezone, series.local_time) == ("America/New_York", dt.time(9))
    first = Meeting.objects.order_by("starts_at").first()
    assert first.starts_at == dt.datetime(2030, 1, 14, 14, 0, tzinfo=dt.UTC)
    assert set(first.participants.all()) == {manager, rep}


def test_slot_preview_shows_each_local_time_and_warns(client, manager, rep):
    html = page(
        client,
        manager,
        reverse("meetings:slot_preview"),
        kind="one_on_one",
        title="",  # htmx sends the whole form, before a title is typed
        starts_at="2030-01-15T13:00",  # 13:00 New York = 20:00 Athens
        duration_minutes=30,
        participants=[rep.pk],
    )
    assert "Tue 20:00–20:30" in html and "Tue 13:00–13:30" in html
    assert "outside the work hours of" in html


def test_find_a_time_offers_slots_in_the_viewers_time(client, manager, rep):
    html = page(
        client,
        manager,
        reverse("meetings:find_time"),
        title="",
        kind="one_on_one",
        duration_minutes=30,
        participants=[rep.pk],
    )
    assert html.count("data-starts=") == 5


def test_the_rep_ticks_an_action_item_done_with_htmx(client, rep, meeting):
    item = factories.ActionItemFactory(meeting=meeting, owner=rep)
    client.force_login(rep)
    response = client.post(
        reverse("meetings:action_item_toggle", args=[item.pk]),
        {"done": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="done-label"' in response.content.decode()
    assert ActionItem.objects.get().is_done


def test_the_action_items_panel_for_the_today_page(rep, meeting, rf):
    from django.template.loader import render_to_string

    from meetings.selectors import open_action_items_for

    factories.ActionItemFactory(meeting=meeting, owner=rep, text="Send proposal")
    request = rf.get("/")
    request.user = rep
    html = render_to_string(
        "meetings/_action_items_panel.html",
        {"action_items": open_action_items_for(user=rep)},
        request=request,
    )
    assert "Send proposal" in html


def test_feed_settings_show_rotate_and_revoke(client, rep):
    client.force_login(rep)
    url = reverse("meetings:feed_settings")
    assert 'data-testid="feed-off"' in client.get(url).content.decode()
    client.post(reverse("meetings:feed_rotate"))
    html = client.get(url).content.decode()
    token = feed_token_rotate  # the address shown is the live token's
    from meetings.selectors import feed_token_for

    assert feed_token_for(user=rep).token in html
    client.post(reverse("meetings:feed_revoke"))
    assert feed_token_for(user=rep) is None
    assert token


def test_reminder_preference_is_saved(client, rep):
    client.force_login(rep)
    client.post(reverse("meetings:feed_settings"), {"reminder_minutes": 60})
    assert rep.meeting_preference.reminder_minutes == 60


def test_editing_and_cancelling_from_the_meeting_page(client, manager, meeting):
    client.force_login(manager)
    client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {
            "title": "Moved 1:1",
            "starts_at": "2030-01-15T10:00",
            "duration_minutes": 45,
            "video_url": meeting.video_url,
        },
    )
    meeting.refresh_from_db()
    assert meeting.title == "Moved 1:1"
    assert meeting.starts_at == dt.datetime(2030, 1, 15, 15, 0, tzinfo=dt.UTC)
    client.post(reverse("meetings:cancel", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_a_far_future_slot_is_a_form_error_not_a_crash(client, manager, rep):
    html = page(
        client,
        manager,
        reverse("meetings:slot_preview"),
        kind="one_on_one",
        starts_at="9999-12-31T23:59",
        duration_minutes=30,
        participants=[rep.pk],
    )
    assert "Choose a time and who to invite" in html
    response = client.post(
        reverse("meetings:schedule"),
        {
            "kind": "one_on_one",
            "title": "x",
            "starts_at": "9999-12-31T23:59",
            "duration_minutes": 30,
            "participants": [rep.pk],
        },
    )
    assert "up to five years ahead" in response.content.decode()


@pytest.mark.parametrize("week", ["2024-02-30", "9999-12-31", "0001-01-01", "²"])
def test_the_team_calendar_shrugs_off_impossible_weeks(client, week):
    from tests import factories as f

    manager = f.ManagerFactory()
    f.TeamFactory(manager=manager)
    client.force_login(manager)
    assert client.get("/meetings/calendar/", {"week": week}).status_code == 200


def test_people_fields_refuse_ids_out_of_range_without_a_server_error(client):
    from tests import factories as f

    manager = f.ManagerFactory()
    f.TeamFactory(manager=manager)
    client.force_login(manager)
    response = client.post(
        "/meetings/schedule/",
        {"kind": "team", "title": "x", "participants": ["9" * 40, "²"]},
    )
    assert response.status_code == 200


def test_a_time_in_the_past_is_refused_before_any_warning(client, manager, team, rep):
    # 13:00 New York is 20:00 in Athens, outside the rep's hours: a bookable time would
    # warn first; a past one is refused at once, with nothing typed lost
    client.force_login(manager)
    response = client.post(
        reverse("meetings:schedule"),
        {
            "kind": "one_on_one",
            "title": "Catch-up",
            "starts_at": "2020-01-15T13:00",
            "duration_minutes": 30,
            "participants": [rep.pk],
        },
    )
    html = response.content.decode()
    assert "A meeting cannot be scheduled in the past." in html
    assert not response.context["confirming"]
    assert 'value="Catch-up"' in html
    assert not Meeting.objects.exists()
