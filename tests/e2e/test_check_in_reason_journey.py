"""Browser journey: a manager books an extra check-in with an autonomous rep who is on
target, is warned, must say why (nothing typed is lost), and the rep reads the reason."""

import datetime as dt
import zoneinfo

import pytest

from accounts.models import AutonomyLevel
from meetings.models import Meeting
from targets.services import target_set
from tests import factories
from tests.helpers import browser_login
from tests.scenarios import day_tallies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
REASON = "Prepare the Acme renewal pitch together"


def weekday_0900_new_york(days_ahead: int) -> dt.datetime:
    day = dt.date.today() + dt.timedelta(days=days_ahead)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9), NEW_YORK)


def autonomous_rep_on_target(team):
    """Sofia: autonomous, met last week's appointments, a check-in already booked."""
    sofia = factories.RepFactory(
        team=team,
        first_name="Sofia",
        email="sofia@example.com",
        timezone="Europe/Athens",
        autonomy_level=AutonomyLevel.AUTONOMOUS,
    )
    target_set(
        rep=sofia,
        metric=factories.metric("appointments"),
        period="week",
        amount=1,
        effective_from=dt.date(2026, 1, 1),
        by=None,
    )
    today = sofia.local_date()
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    day_tallies(sofia, "appointments", {last_monday: 2})
    factories.MeetingFactory(rep=sofia, starts_at=weekday_0900_new_york(3))
    return sofia


def test_an_extra_check_in_needs_a_reason_that_the_rep_then_reads(
    page, browser, live_server
):
    # Given Mark, a manager in New York, and Sofia, his autonomous rep on target
    mark = factories.ManagerFactory(
        first_name="Mark", email="mark@example.com", timezone="America/New_York"
    )
    team = factories.TeamFactory(manager=mark, name="Aegean")
    sofia = autonomous_rep_on_target(team)
    starts = weekday_0900_new_york(6)

    # When Mark books another check-in with her
    browser_login(page, mark.email, factories.PASSWORD)
    page.get_by_test_id("home-greeting").wait_for()
    page.goto(f"/meetings/schedule/?rep={sofia.pk}")
    page.locator("#id_title").fill("Extra check-in")
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_agenda").fill("Acme renewal")
    page.get_by_test_id("book-button").click()

    # Then he is warned before booking
    warnings = page.get_by_test_id("schedule-warnings")
    warnings.wait_for()
    assert "frequent check-ins can send the wrong message" in warnings.inner_text()
    assert "Say why you are meeting" in warnings.inner_text()

    # When he books anyway without a reason, he is asked for one and loses nothing
    page.get_by_test_id("book-button").click()
    page.locator("#id_reason.is-invalid").wait_for()
    assert "say why you are meeting" in page.locator("#schedule-form").inner_text()
    assert page.locator("#id_title").input_value() == "Extra check-in"
    assert page.locator("#id_agenda").input_value() == "Acme renewal"
    assert Meeting.objects.count() == 1

    # When he gives the reason, the check-in is booked
    page.locator("#id_reason").fill(REASON)
    page.get_by_test_id("book-button").click()
    page.get_by_test_id("meeting-title").wait_for()
    meeting = Meeting.objects.get(title="Extra check-in")
    assert meeting.reason == REASON

    # Then Sofia, signed in, reads why on the meeting
    rep_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    rep_context.set_default_timeout(10_000)
    rep_page = rep_context.new_page()
    browser_login(rep_page, sofia.email, factories.PASSWORD)
    rep_page.get_by_test_id("home-greeting").wait_for()
    rep_page.goto("/accounts/notifications/")
    assert REASON in rep_page.content()
    rep_page.goto(f"/meetings/{meeting.pk}/")
    reason = rep_page.get_by_test_id("meeting-reason")
    assert reason.inner_text() == f"Why we are meeting: {REASON}"
    rep_context.close()
