"""Reminder emails: due by each person's preference, sent once however often the task runs."""

import datetime as dt

import pytest
from django.core import mail

from meetings.models import MeetingStatus, ReminderSent
from meetings.reminders import meeting_preference_set, reminders_send_due
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(rep):
    return factories.MeetingFactory(
        rep=rep,
        title="Weekly one-on-one",
        starts_at=dt.datetime(2027, 1, 12, 14, 0, tzinfo=dt.UTC),
    )


def test_a_reminder_goes_out_30_minutes_before_with_the_video_link(meeting, rep):
    # Given it is 29 minutes before the meeting
    now = meeting.starts_at - dt.timedelta(minutes=29)

    # When the reminder task runs
    sent = reminders_send_due(now=now)

    # Then both participants get one email, in their own time zone, with the link
    assert sent == 2
    to_rep = next(email for email in mail.outbox if email.to == [rep.email])
    assert to_rep.subject == "Reminder: Weekly one-on-one at 16:00"  # Athens, UTC+2
    assert meeting.video_url in to_rep.body
    assert "Europe/Athens" in to_rep.body


def test_running_the_reminder_task_twice_sends_nothing_more(meeting):
    now = meeting.starts_at - dt.timedelta(minutes=20)
    assert reminders_send_due(now=now) == 2

    assert reminders_send_due(now=now) == 0
    assert reminders_send_due(now=now + dt.timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_no_reminder_before_it_is_due_or_for_a_cancelled_meeting(meeting):
    assert reminders_send_due(now=meeting.starts_at - dt.timedelta(minutes=31)) == 0
    meeting.status = MeetingStatus.CANCELLED
    meeting.save()
    assert reminders_send_due(now=meeting.starts_at - dt.timedelta(minutes=5)) == 0
    assert mail.outbox == []


def test_each_person_chooses_when_or_whether(meeting, rep, manager):
    meeting_preference_set(user=rep, reminder_minutes=1440)
    meeting_preference_set(user=manager, reminder_minutes=0)

    assert reminders_send_due(now=meeting.starts_at - dt.timedelta(hours=23)) == 1
    assert [email.to for email in mail.outbox] == [[rep.email]]
    assert reminders_send_due(now=meeting.starts_at - dt.timedelta(minutes=5)) == 0


def test_a_failed_send_is_retried_on_the_next_run(meeting, monkeypatch):
    from meetings import reminders

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    now = meeting.starts_at - dt.timedelta(minutes=10)
    assert reminders_send_due(now=now) == 0
    assert ReminderSent.objects.count() == 0

    monkeypatch.undo()
    assert reminders_send_due(now=now) == 2
