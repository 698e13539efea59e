"""Busy times from a person's own calendar (`ExternalBusy`): every slot choice avoids them.

Find a time, goal-setting booking and plan booking all read busy time through
`busy_intervals_by_person`, which reads meetings and outside busy times in one query.
"""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.lifecycle import goal_setting_book
from meetings.models import ExternalBusy
from meetings.selectors import busy_intervals_by_person, time_suggestions_for
from meetings.services import external_busy_clear, external_busy_set
from tests import factories

pytestmark = pytest.mark.django_db
MONDAY_NOON = dt.datetime(2027, 1, 11, 12, 0, tzinfo=dt.UTC)


def test_find_a_time_skips_what_the_persons_own_calendar_marks_busy(
    team, django_assert_num_queries
):
    eleni = factories.RepFactory(team=team, timezone="Europe/London")
    usual = time_suggestions_for(
        people=[eleni], duration_minutes=30, after=MONDAY_NOON, count=2
    )
    external_busy_set(
        person=eleni,
        rows=[("dentist.ics", usual[0], usual[0] + dt.timedelta(hours=1))],
    )

    with django_assert_num_queries(1):  # meetings and outside busy times, one UNION
        slots = time_suggestions_for(
            people=[eleni], duration_minutes=30, after=MONDAY_NOON, count=2
        )

    assert slots[0] == usual[0] + dt.timedelta(hours=1)


def test_busy_times_come_with_meetings_per_person_in_one_query(
    rep, django_assert_num_queries
):
    meeting = factories.MeetingFactory(rep=rep)
    elsewhere = (
        meeting.starts_at + dt.timedelta(hours=2),
        meeting.ends_at + dt.timedelta(hours=3),
    )
    external_busy_set(person=rep, rows=[("x", *elsewhere)])
    start = meeting.starts_at - dt.timedelta(days=1)

    with django_assert_num_queries(1):
        busy = busy_intervals_by_person(
            people=[rep, rep.team.manager],
            start=start,
            end=start + dt.timedelta(days=3),
        )

    assert sorted(busy[rep.pk]) == [(meeting.starts_at, meeting.ends_at), elsewhere]
    assert busy[rep.team.manager.pk] == [(meeting.starts_at, meeting.ends_at)]


def test_the_goal_setting_booking_avoids_the_reps_outside_busy_time(team):
    rep = factories.RepFactory(team=team, timezone="Europe/Athens")
    first = goal_setting_book(rep=rep)
    first.delete()
    external_busy_set(
        person=rep,
        rows=[
            ("all-week.ics", first.starts_at, first.starts_at + dt.timedelta(days=2))
        ],
    )

    booked = goal_setting_book(rep=rep)

    assert booked.starts_at >= first.starts_at + dt.timedelta(days=2)


def test_a_sync_replaces_only_the_sources_it_read_unless_it_read_everything(rep):
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    external_busy_set(person=rep, rows=[("a", now, now + hour), ("b", now, now + hour)])

    external_busy_set(person=rep, rows=[("a", now + hour, now + 2 * hour)])
    assert sorted(ExternalBusy.objects.values_list("source_ref", "starts_at")) == [
        ("a", now + hour),
        ("b", now),
    ]
    external_busy_set(person=rep, rows=[], replace_refs=["b"])
    assert list(ExternalBusy.objects.values_list("source_ref", flat=True)) == ["a"]
    external_busy_set(person=rep, rows=[("c", now, now + hour)], replace_all=True)
    assert list(ExternalBusy.objects.values_list("source_ref", flat=True)) == ["c"]
    # A stretch without length is dropped, not stored
    external_busy_set(person=rep, rows=[("d", now, now)])
    assert not ExternalBusy.objects.filter(source_ref="d").exists()

    external_busy_clear(person=rep)
    assert not ExternalBusy.objects.exists()
