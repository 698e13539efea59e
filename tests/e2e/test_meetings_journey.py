"""Browser journey: a manager schedules a weekly team meeting; the rep sees it in her own
time with the join link; the manager records notes and an action item; the rep ticks it."""

import datetime as dt
import zoneinfo

import pytest

from meetings.models import ActionItem, Meeting, MeetingSeries
from tests import factories
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
ATHENS = zoneinfo.ZoneInfo("Europe/Athens")


def next_monday_0900_new_york() -> dt.datetime:
    day = dt.date.today() + dt.timedelta(days=7)
    day += dt.timedelta(days=(7 - day.weekday()) % 7)
    return dt.datetime.combine(day, dt.time(9), NEW_YORK)


def test_weekly_team_meeting_from_booking_to_a_ticked_action_item(
    page, browser, live_server
):
    # Given Mark, a manager in New York, and Eleni, his rep in Athens
    mark = factories.ManagerFactory(first_name="Mark", email="mark@example.com")
    team = factories.TeamFactory(manager=mark, name="Aegean")
    eleni = factories.RepFactory(
        team=team,
        first_name="Eleni",
        email="eleni@example.com",
        timezone="Europe/Athens",
    )
    starts = next_monday_0900_new_york()

    # When Mark books a weekly team meeting at 09:00 his time
    browser_login(page, mark.email, factories.PASSWORD)
    page.get_by_test_id("home-greeting").wait_for()
    page.goto("/meetings/schedule/")
    page.locator("#id_kind").select_option("team")
    page.locator("#id_title").fill("Monday kick-off")
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_duration_minutes").fill("30")
    page.locator("#id_team").select_option(str(team.pk))
    page.locator("#id_recurrence").select_option("weekly")
    # The form shows Eleni's local time for the slot before booking
    page.get_by_test_id("slot-preview").get_by_text(
        "16:00", exact=False
    ).first.wait_for()
    page.get_by_test_id("book-button").click()
    page.get_by_test_id("meeting-title").wait_for()
    assert page.get_by_test_id("meeting-title").inner_text() == "Monday kick-off"
    meeting = Meeting.objects.order_by("starts_at").first()
    assert MeetingSeries.objects.get().recurrence == "weekly"
    assert meeting.starts_at == starts

    # And the team calendar lays the week out in seven columns (its CSS is not inline,
    # which the Content-Security-Policy would block)
    page.goto(f"/meetings/calendar/?team={team.pk}&week={starts.date().isoformat()}")
    page.locator(".week-grid").first.wait_for()
    columns = page.evaluate(
        "getComputedStyle(document.querySelector('.week-grid')).gridTemplateColumns"
    )
    assert len(columns.split()) == 7, columns

    # Then Eleni sees it in Athens time, with the join link
    rep_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    rep_context.set_default_timeout(10_000)
    rep_page = rep_context.new_page()
    browser_login(rep_page, eleni.email, factories.PASSWORD)
    rep_page.get_by_test_id("home-greeting").wait_for()
    rep_page.goto("/meetings/")
    local = starts.astimezone(ATHENS)
    first_row = rep_page.get_by_test_id("meeting-row").first
    assert (
        local.strftime("%H:%M") in first_row.get_by_test_id("meeting-time").inner_text()
    )
    first_row.click()
    rep_page.get_by_test_id("join-button").wait_for()
    assert (
        rep_page.get_by_test_id("join-button").get_attribute("href")
        == meeting.video_url
    )
    assert (
        local.strftime("%H:%M")
        in rep_page.get_by_test_id("meeting-local-time").inner_text()
    )

    # When Mark records notes and an action item for Eleni
    page.goto(f"/meetings/{meeting.pk}/")
    page.locator("#id_notes").fill("Great week; pipeline is full.")
    page.get_by_role("button", name="Save notes").click()
    page.get_by_test_id("shared-notes").wait_for()
    page.locator("#id_text").fill("Send the Acme proposal")
    page.locator("#id_owner").select_option(str(eleni.pk))
    page.get_by_role("button", name="Add action item").click()
    page.get_by_test_id("action-item").wait_for()

    # Then Eleni sees the notes and ticks the action item done
    rep_page.goto(f"/meetings/{meeting.pk}/")
    assert "pipeline is full" in rep_page.get_by_test_id("shared-notes").inner_text()
    item = rep_page.get_by_test_id("action-item").filter(
        has_text="Send the Acme proposal"
    )
    item.get_by_test_id("tick").click()
    rep_page.get_by_test_id("done-label").wait_for()
    assert ActionItem.objects.get().is_done
    rep_context.close()
