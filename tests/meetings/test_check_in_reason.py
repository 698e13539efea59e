"""A check-in beyond a trusted, on-target rep's cadence needs a reason the rep sees."""

import datetime as dt

import icalendar
import pytest
from django.urls import reverse

from accounts.models import AutonomyLevel, Notification
from meetings import cadence
from meetings.models import Meeting
from tests import factories
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def autonomous_rep(rep, monkeypatch):
    """An autonomous rep, on target last week, with a check-in in three days."""
    rep.autonomy_level = AutonomyLevel.AUTONOMOUS
    rep.save(update_fields=["autonomy_level"])
    monkeypatch.setattr(
        cadence, "last_complete_week_on_target", lambda *, rep, on: True
    )
    factories.MeetingFactory(rep=rep, starts_at=a_weekday_at_nine(rep, days_ahead=3))
    return rep


def a_weekday_at_nine(rep, *, days_ahead: int) -> dt.datetime:
    """09:00 in the manager's zone on a weekday, inside both people's work hours."""
    zone = rep.team.manager.zone
    day = dt.date.today() + dt.timedelta(days=days_ahead)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9), zone)


def form_data(rep, **extra):
    starts = a_weekday_at_nine(rep, days_ahead=5)
    return {
        "kind": "one_on_one",
        "title": "Extra check-in",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 30,
        "participants": [rep.pk],
        "agenda": "Pipeline review",
        "confirm": "True",
        **extra,
    }


def test_the_form_refuses_an_extra_check_in_without_a_reason_and_keeps_the_input(
    client, manager, autonomous_rep
):
    client.force_login(manager)

    response = client.post(reverse("meetings:schedule"), form_data(autonomous_rep))

    assert response.status_code == 200
    form = response.context["form"]
    assert "say why you are meeting" in form.errors["reason"][0]
    page = response.content.decode()
    assert 'data-testid="schedule-warnings"' in page  # the warning stays in view
    assert "Pipeline review" in page and "Extra check-in" in page
    assert Meeting.objects.count() == 1


def test_with_a_reason_the_rep_is_told_and_sees_it_on_the_meeting_and_calendar(
    client, manager, autonomous_rep
):
    client.force_login(manager)

    response = client.post(
        reverse("meetings:schedule"),
        form_data(autonomous_rep, reason="Prepare the Acme renewal together"),
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Extra check-in")
    assert meeting.reason == "Prepare the Acme renewal together"
    told = Notification.objects.get(user=autonomous_rep, kind="meeting.check_in")
    assert told.body == "Why we are meeting: Prepare the Acme renewal together"
    assert told.url == reverse("meetings:detail", args=[meeting.pk])

    client.force_login(autonomous_rep)
    detail = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert "Why we are meeting:" in detail.content.decode()
    assert "Prepare the Acme renewal together" in detail.content.decode()
    ics = client.get(reverse("meetings:ics", args=[meeting.pk]))
    (event,) = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert "Why we are meeting: Prepare the Acme renewal together" in str(
        event["DESCRIPTION"]
    )


def test_a_check_in_within_the_cadence_needs_no_reason(client, manager, rep):
    # A new rep: weekly check-ins are the norm, so no warning and no reason
    factories.MeetingFactory(rep=rep, starts_at=a_weekday_at_nine(rep, days_ahead=3))
    client.force_login(manager)

    response = client.post(reverse("meetings:schedule"), form_data(rep))

    assert response.status_code == 302
    assert Meeting.objects.get(title="Extra check-in").reason == ""
    assert not Notification.objects.filter(kind="meeting.check_in").exists()


def api_body(rep, **extra):
    return {
        "kind": "one_on_one",
        "title": "Extra check-in",
        "starts_at": a_weekday_at_nine(rep, days_ahead=5).isoformat(),
        "duration_minutes": 30,
        "participants": [rep.pk],
        **extra,
    }


def test_the_api_answers_400_with_a_reason_error_without_one(manager, autonomous_rep):
    client = api_client_for(manager)

    response = client.post("/api/v1/meetings/", api_body(autonomous_rep), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["reason"]
    assert Meeting.objects.count() == 1


def test_the_api_books_with_a_reason_and_returns_it(manager, autonomous_rep):
    client = api_client_for(manager)

    response = client.post(
        "/api/v1/meetings/",
        api_body(autonomous_rep, reason="Plan the trade fair"),
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["reason"] == "Plan the trade fair"
    assert Notification.objects.filter(
        user=autonomous_rep, body="Why we are meeting: Plan the trade fair"
    ).exists()
