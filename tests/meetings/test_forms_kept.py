"""A refused autonomy change keeps what was typed beside its field; long reasons and
notes wrap; a booked check-in's notification gives the time as the app writes it."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AutonomyLevel, Notification
from meetings.autonomy import autonomy_set
from meetings.services.check_in_reason import reason_notify
from tests import factories

pytestmark = pytest.mark.django_db

LONG = "https://example.com/" + "a" * 280


@pytest.fixture
def established_rep(rep):
    rep.autonomy_level = AutonomyLevel.ESTABLISHED
    rep.save(update_fields=["autonomy_level"])
    return rep


def test_lowering_autonomy_without_a_reason_keeps_the_level_chosen(
    client, manager, established_rep
):
    client.force_login(manager)
    url = reverse("meetings:autonomy_change", args=[established_rep.pk])

    answer = client.post(url, {"to_level": AutonomyLevel.RAMPING, "reason": ""})

    assert answer.status_code == 400
    page = answer.content.decode()
    form = page.split(url)[1].split("</form>")[0]
    assert "is-invalid" in form and "invalid-feedback" in form
    assert f'value="{AutonomyLevel.RAMPING}" selected' in form
    established_rep.refresh_from_db()
    assert established_rep.autonomy_level == AutonomyLevel.ESTABLISHED


def test_a_refusal_of_the_service_shows_beside_the_reason(
    client, manager, established_rep
):
    client.force_login(manager)
    url = reverse("meetings:autonomy_change", args=[established_rep.pk])

    answer = client.post(url, {"to_level": AutonomyLevel.RAMPING, "reason": "   "})

    assert answer.status_code == 400
    assert answer.context["autonomy_form"].errors


def test_long_reasons_and_notes_wrap_on_the_rep_history(client, manager, rep):
    autonomy_set(rep=rep, to_level="ramping", reason=LONG, by=manager)
    factories.MeetingFactory(rep=rep, notes=LONG)
    client.force_login(manager)
    page = client.get(reverse("meetings:rep_history", args=[rep.pk])).content.decode()
    assert '<li class="text-break" data-testid="autonomy-change">' in page
    assert '<div class="small mt-2 text-break">' in page


def test_a_long_notification_body_wraps(client, rep):
    Notification.objects.create(user=rep, key="k", kind="ramp", title="T", body=LONG)
    client.force_login(rep)
    page = client.get(reverse("notifications")).content.decode()
    assert 'class="small text-break" data-testid="notification-body"' in page


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "booked a check-in with you: Thu 3 Dec, 16:00"),
        ("el", "Πέμ 3 Δεκ, 16:00"),
    ],
)
def test_the_check_in_notification_gives_the_reps_local_time(rep, language, title):
    rep.timezone, rep.language = "Europe/Athens", language
    rep.save(update_fields=["timezone", "language"])
    meeting = factories.MeetingFactory(
        rep=rep,
        starts_at=dt.datetime(2026, 12, 3, 14, tzinfo=dt.UTC),
        reason="Prepare the renewal",
    )

    reason_notify(meeting=meeting, participants=[rep])

    told = Notification.objects.get(user=rep, kind="meeting.check_in")
    assert told.title.endswith(title)
