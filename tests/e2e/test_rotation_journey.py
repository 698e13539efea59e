"""Browser journey: a manager in New York schedules a team meeting for Athens, New York
and Sydney; sees each person's local times and out-of-hours count per slot; takes the
suggested rotation; and the meeting list shows the occurrences alternating."""

import datetime as dt
import re
import zoneinfo

import pytest

from meetings.models import MeetingSeries
from tests import factories
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def next_monday_0900_new_york() -> dt.datetime:
    day = dt.date.today() + dt.timedelta(days=7)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    return dt.datetime.combine(day, dt.time(9), NEW_YORK)


def test_a_rotating_team_meeting_shares_the_late_hours(page):
    # Given Mark, a manager in New York, and his reps in Athens, New York and Sydney
    mark = factories.ManagerFactory(first_name="Mark", email="mark@example.com")
    team = factories.TeamFactory(manager=mark, name="Worldwide")
    for name, zone in [
        ("Eleni", "Europe/Athens"),
        ("Jane", "America/New_York"),
        ("Liam", "Australia/Sydney"),
    ]:
        factories.RepFactory(team=team, first_name=name, timezone=zone)
    starts = next_monday_0900_new_york()

    # When Mark starts a weekly team meeting at 09:00 his time
    browser_login(page, mark.email, factories.PASSWORD)
    page.get_by_test_id("home-greeting").wait_for()
    page.goto("/meetings/schedule/")
    page.locator("#id_kind").select_option("team")
    page.locator("#id_title").fill("Team sync")
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_duration_minutes").fill("30")
    page.locator("#id_team").select_option(str(team.pk))
    page.locator("#id_recurrence").select_option("weekly")

    # Then he sees each person's local time and how often it is outside their hours:
    # every one of the twelve weeks for Liam in Sydney
    entered = page.get_by_test_id("burden-entered")
    entered.wait_for()
    # The whole name: a random surname such as "Williams" holds "liam"
    # His first name as a word: a random surname such as "Williams" holds "liam"
    liam_row = entered.get_by_test_id("burden-row").filter(
        has_text=re.compile(r"\bLiam\b")
    )
    assert "12 meetings" in liam_row.inner_text()
    assert page.get_by_test_id("carried").count() == 4
    assert (
        "0 meetings outside work hours in 90 days"
        in page.get_by_test_id("carried").first.inner_text()
    )

    # And a rotation that shares it, per slot
    suggestion = page.get_by_test_id("rotation-suggestion")
    suggestion.wait_for()
    assert "goes from 12 to 6" in suggestion.inner_text()
    suggested = suggestion.get_by_test_id("burden-row")
    assert suggested.count() == 4
    for row in range(4):
        assert "6 meetings" in suggested.nth(row).inner_text()

    # When he takes the suggested rotation, confirms the out-of-hours warning and books
    suggestion.get_by_test_id("use-rotation").click()
    page.get_by_test_id("rotation-suggestion").wait_for(state="detached")
    assert page.locator("#id_alternate_times").input_value() != ""
    page.get_by_test_id("book-button").click()
    page.get_by_test_id("schedule-warnings").wait_for()
    page.get_by_test_id("book-button").click()
    page.get_by_test_id("meeting-title").wait_for()

    # Then the series rotates between the two suggested times (in winter 09:30 and
    # 17:00 New York: Athens' afternoon, then Sydney's 09:00)
    series = MeetingSeries.objects.get()
    assert len(series.rotation_times) == 2

    # And his meeting list shows the occurrences alternating
    page.goto("/meetings/")
    times = [
        text.split(", ")[1][:5]
        for text in page.get_by_test_id("meeting-time").all_inner_texts()[:4]
    ]
    assert times == series.rotation_times * 2
