"""Scheduling, notes, action items, goal setting and leaving: the meetings services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import signals
from accounts.models import Role
from meetings.availability import inside_work_hours
from meetings.lifecycle import (
    goal_setting_book,
    goal_settings_book,
    meetings_cancel_future_for,
)
from meetings.models import ActionItem, Meeting, MeetingKind, MeetingStatus
from meetings.selectors import carried_action_items_for, open_action_items_for
from meetings.services import (
    action_item_complete,
    action_item_create,
    meeting_record_notes,
    meeting_schedule,
)
from tests import factories

pytestmark = pytest.mark.django_db


def in_days(days: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


def test_a_one_on_one_gets_a_generated_unguessable_video_room(manager, rep, settings):
    settings.VIDEO_BASE_URL = "https://video.example.com/"
    first = meeting_schedule(
        organiser=manager,
        kind="one_on_one",
        title="1:1",
        starts_at=in_days(2),
        duration_minutes=30,
        participants=[rep],
        agenda="Pipeline\n\nBlockers\n",
    )
    second = meeting_schedule(
        organiser=manager,
        kind="one_on_one",
        title="1:1",
        starts_at=in_days(3),
        duration_minutes=30,
        participants=[rep],
    )
    assert first.video_url.startswith("https://video.example.com/salesteam-")
    assert len(first.video_url) > len("https://video.example.com/salesteam-") + 20
    assert first.video_url != second.video_url
    assert first.rep == rep
    assert set(first.participants.all()) == {manager, rep}
    assert [item.text for item in first.agenda_items.all()] == ["Pipeline", "Blockers"]


def test_a_pasted_video_link_is_kept(manager, rep):
    meeting = meeting_schedule(
        organiser=manager,
        kind="coaching",
        title="Call review",
        starts_at=in_days(2),
        duration_minutes=30,
        participants=[rep],
        video_url="https://zoom.us/j/987",
    )
    assert meeting.video_url == "https://zoom.us/j/987"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_at": "past"},
            "starts_at",
            "A meeting cannot be scheduled in the past.",
        ),
        ({"duration_minutes": 0}, "duration_minutes", "between 5 and 480 minutes"),
        ({"video_url": "zoom meeting"}, "video_url", "starting with https://"),
        ({"title": "  "}, "title", "Give the meeting a title."),
        ({"participants": []}, "participants", "exactly one other participant"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    manager, rep, changes, field, message
):
    arguments = {
        "organiser": manager,
        "kind": "one_on_one",
        "title": "1:1",
        "starts_at": in_days(2),
        "duration_minutes": 30,
        "participants": [rep],
    } | changes
    if arguments["starts_at"] == "past":
        arguments["starts_at"] = in_days(-1)
    with pytest.raises(ValidationError) as error:
        meeting_schedule(**arguments)
    assert message in " ".join(error.value.message_dict[field])
    assert Meeting.objects.count() == 0


def test_a_manager_cannot_invite_another_managers_rep_and_a_rep_cannot_schedule(
    manager, rep
):
    stranger = factories.RepFactory()
    with pytest.raises(ValidationError, match="nobody you can invite"):
        meeting_schedule(
            organiser=manager,
            kind="one_on_one",
            title="1:1",
            starts_at=in_days(2),
            duration_minutes=30,
            participants=[stranger],
        )
    with pytest.raises(ValidationError, match="Only managers and admins"):
        meeting_schedule(
            organiser=rep,
            kind="team",
            title="Hi",
            starts_at=in_days(2),
            duration_minutes=30,
            participants=[manager],
        )


def test_notes_attendance_and_done(manager, rep):
    meeting = factories.MeetingFactory(rep=rep)
    meeting_record_notes(
        meeting=meeting,
        by=manager,
        notes="Pipeline looks healthy.",
        private_notes="Seems tired; ask about workload.",
        attended=[rep.pk],
        mark_done=True,
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DONE
    assert meeting.private_notes == "Seems tired; ask about workload."
    attended = dict(meeting.attendance.values_list("user_id", "attended"))
    assert attended == {rep.pk: True, manager.pk: False}
    with pytest.raises(ValidationError):
        meeting_record_notes(meeting=meeting, by=rep, notes="I rewrite history")


def test_open_action_items_carry_into_the_next_one_on_one_until_done(manager, rep):
    # Given an action item from last week's one-on-one
    last = factories.MeetingFactory(rep=rep, starts_at=in_days(1))
    item = action_item_create(
        meeting=last, by=manager, owner=rep, text="Send the proposal", due_date=None
    )
    following = factories.MeetingFactory(rep=rep, starts_at=in_days(8))

    # Then it is on the next one-on-one's agenda and on the rep's Today list
    assert carried_action_items_for(meeting=following) == [item]
    assert list(open_action_items_for(user=rep)) == [item]

    # When the rep ticks it done, it is carried no more
    action_item_complete(item=item, by=rep)
    assert carried_action_items_for(meeting=following) == []
    assert list(open_action_items_for(user=rep)) == []


def test_an_action_item_owner_must_be_in_the_meeting_and_only_they_or_the_manager_tick(
    manager, rep, team
):
    meeting = factories.MeetingFactory(rep=rep)
    colleague = factories.RepFactory(team=team)
    with pytest.raises(ValidationError, match="participants"):
        action_item_create(meeting=meeting, by=manager, owner=colleague, text="x")
    item = factories.ActionItemFactory(meeting=meeting, owner=rep)
    with pytest.raises(ValidationError):
        action_item_complete(item=item, by=colleague)
    assert action_item_complete(item=item, by=manager).is_done
    assert not action_item_complete(item=item, by=rep, done=False).is_done


def test_a_goal_setting_meeting_is_booked_inside_both_work_hours_once(team):
    # Given a new rep in Athens whose manager is in New York
    rep = factories.RepFactory(team=team, timezone="Europe/Athens")

    # When it is booked (twice, as onboarding might retry)
    meeting = goal_setting_book(rep=rep)
    again = goal_setting_book(rep=rep)

    # Then one goal-setting meeting, inside both people's work hours, in the next days
    assert again == meeting
    assert meeting.kind == MeetingKind.GOAL_SETTING
    assert meeting.rep == rep and meeting.organiser == team.manager
    assert inside_work_hours(rep, starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    assert inside_work_hours(
        team.manager, starts_at=meeting.starts_at, ends_at=meeting.ends_at
    )
    assert meeting.starts_at - timezone.now() < dt.timedelta(days=7)
    assert Meeting.objects.filter(kind=MeetingKind.GOAL_SETTING).count() == 1


def test_onboarding_a_rep_books_their_goal_setting_meeting_after_commit(
    team, admin_user, django_capture_on_commit_callbacks
):
    rep = factories.RepFactory(team=team)
    manager = factories.ManagerFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signals.reps_onboarded.send(
            sender=type(rep), users=[rep, manager], by=admin_user
        )
        # Nothing is booked inside the onboarding transaction
        assert not Meeting.objects.exists()
    # The booking, then the booked meeting's announcement (core.events).
    assert len(callbacks) == 2
    assert Meeting.objects.get(kind=MeetingKind.GOAL_SETTING).rep == rep


def test_the_sweep_books_new_reps_who_were_missed_once(team):
    # Given two new reps without a goal-setting meeting (queueing failed) and an old hand
    new_reps = factories.RepFactory.create_batch(2, team=team)
    factories.RepFactory(team=team, autonomy_level="established")

    # When the hourly sweep runs twice
    assert goal_settings_book() == 2
    assert goal_settings_book() == 0

    # Then each new rep has exactly one
    assert sorted(
        Meeting.objects.filter(kind=MeetingKind.GOAL_SETTING).values_list(
            "rep_id", flat=True
        )
    ) == sorted(rep.pk for rep in new_reps)


def test_a_deactivated_user_loses_their_future_meetings(manager, rep, team, admin_user):
    # Given a future one-on-one, a future team meeting, and a past one-on-one
    one_on_one = factories.MeetingFactory(rep=rep, starts_at=in_days(2))
    past = factories.MeetingFactory(rep=rep, starts_at=in_days(-2))
    team_meeting = meeting_schedule(
        organiser=manager,
        kind="team",
        title="Team",
        starts_at=in_days(3),
        duration_minutes=30,
        team=team,
    )

    # When the rep is deactivated (the accounts signal)
    signals.user_deactivated.send(sender=type(rep), user=rep, by=admin_user)

    # Then the one-on-one is cancelled, the team meeting goes on without them
    one_on_one.refresh_from_db()
    past.refresh_from_db()
    assert one_on_one.status == MeetingStatus.CANCELLED
    assert past.status == MeetingStatus.SCHEDULED
    assert rep not in team_meeting.participants.all()
    assert meetings_cancel_future_for(user=rep) == 0


def test_action_items_have_owner_text_due_date_and_done(manager, rep):
    meeting = factories.MeetingFactory(rep=rep)
    item = action_item_create(
        meeting=meeting,
        by=manager,
        owner=rep,
        text="  Call Acme back  ",
        due_date=dt.date(2027, 1, 5),
    )
    item = ActionItem.objects.get(pk=item.pk)
    assert (item.owner, item.text, item.due_date, item.is_done) == (
        rep,
        "Call Acme back",
        dt.date(2027, 1, 5),
        False,
    )
    assert item.created_by == manager and manager.role == Role.MANAGER


def test_a_far_future_start_date_costs_nobody_else_their_goal_setting(team, caplog):
    # Given a new rep whose start date (written before it had bounds) is 9999-12-31
    far = factories.RepFactory(team=team, start_date=dt.date(9999, 12, 31))
    ready = factories.RepFactory(team=team)

    # When the batch books goal-setting meetings
    booked = goal_settings_book(rep_ids=[far.pk, ready.pk])

    # Then the other rep is booked and the far one is logged, not a crash
    assert booked == 1
    assert list(
        Meeting.objects.filter(kind=MeetingKind.GOAL_SETTING).values_list(
            "rep_id", flat=True
        )
    ) == [ready.pk]
    assert f"No goal-setting slot for rep {far.pk}" in caplog.text


def test_a_failure_booking_one_rep_is_logged_and_the_batch_goes_on(
    team, monkeypatch, caplog
):
    from meetings import lifecycle

    broken, fine = factories.RepFactory.create_batch(2, team=team)
    real_book = lifecycle.goal_setting_book

    def book(*, rep, **kwargs):
        if rep.pk == broken.pk:
            raise OverflowError("date value out of range")
        return real_book(rep=rep, **kwargs)

    monkeypatch.setattr(lifecycle, "goal_setting_book", book)
    assert goal_settings_book(rep_ids=[broken.pk, fine.pk]) == 1
    assert Meeting.objects.get(kind=MeetingKind.GOAL_SETTING).rep == fine
    assert f"failed for rep {broken.pk}" in caplog.text
