"""Browser journey (issue 16): trust that is earned, from one team's week.

A new rep sees where she stands on her ramp; the manager schedules a rotating team
meeting across Athens, New York and Sydney and sees each person's local times; he books
an extra check-in with an autonomous rep and has to say why; the rep reads the reason.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingSeries
from tests import factories
from tests.e2e.test_check_in_reason_journey import (
    autonomous_rep_on_target,
    weekday_0900_new_york,
)
from tests.e2e.test_rotation_journey import next_monday_0900_new_york
from tests.helpers import browser_login
from tests.scenarios import rep_on_ramp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Walk through the Sydney distributor's contract before Friday"


def signed_in(browser, live_server, person):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    browser_login(page, person.email, factories.PASSWORD)
    page.get_by_test_id("home-greeting").wait_for()
    return context, page


def test_ramp_rotation_and_a_reason_for_an_extra_check_in(page, browser, live_server):
    # Given Mark in New York, Nina who started in Athens 8 days ago on the standard
    # ramp, Jane in New York, and Sofia, autonomous and on target (a check-in booked)
    mark = factories.ManagerFactory(
        first_name="Mark", email="mark@example.com", timezone="America/New_York"
    )
    team = factories.TeamFactory(manager=mark, name="Worldwide")
    factories.standard_template()
    started = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=8)
    nina = rep_on_ramp(
        team, "Europe/Athens", starts_on=started, revenue=("month", 20000)
    )
    factories.RepFactory(team=team, first_name="Jane", timezone="America/New_York")
    sofia = autonomous_rep_on_target(team)
    sofia.timezone = "Australia/Sydney"
    sofia.save(update_fields=["timezone"])

    # 1. Nina, signed in, sees that she is in week 2 of her 8-week ramp
    context, nina_page = signed_in(browser, live_server, nina)
    nina_page.goto("/targets/results/")
    ramp = nina_page.get_by_test_id("ramp-status")
    expect(ramp).to_contain_text("Ramp week 2 of 8")
    expect(ramp).to_contain_text("Targets at 50% of the full ones")
    context.close()

    # 2. Mark schedules a weekly team meeting at 09:00 his time and sees each person's
    #    local time and out-of-hours count, then takes the suggested rotation
    browser_login(page, mark.email, factories.PASSWORD)
    page.get_by_test_id("home-greeting").wait_for()
    page.goto("/meetings/schedule/")
    page.locator("#id_kind").select_option("team")
    page.locator("#id_title").fill("Team sync")
    starts = next_monday_0900_new_york()
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_duration_minutes").fill("30")
    page.locator("#id_team").select_option(str(team.pk))
    page.locator("#id_recurrence").select_option("weekly")
    entered = page.get_by_test_id("burden-entered")
    entered.wait_for()
    sydney_time = starts.astimezone(sofia.zone).strftime("%a %H:%M")
    athens_time = starts.astimezone(nina.zone).strftime("%a %H:%M")
    rows = entered.get_by_test_id("burden-row")
    expect(rows.filter(has_text=sofia.get_full_name())).to_contain_text(sydney_time)
    expect(rows.filter(has_text=nina.get_full_name())).to_contain_text(athens_time)
    expect(rows.filter(has_text=re.compile(r"\bJane\b"))).to_contain_text("Mon 09:00")
    suggestion = page.get_by_test_id("rotation-suggestion")
    suggestion.wait_for()
    suggestion.get_by_test_id("use-rotation").click()
    suggestion.wait_for(state="detached")
    page.get_by_test_id("book-button").click()
    page.get_by_test_id("schedule-warnings").wait_for()
    page.get_by_test_id("book-button").click()
    page.get_by_test_id("meeting-title").wait_for()
    assert len(MeetingSeries.objects.get().rotation_times) >= 2

    # 3. Mark books an extra check-in with Sofia: he is warned and must say why
    page.goto(f"/meetings/schedule/?rep={sofia.pk}")
    page.locator("#id_title").fill("Extra check-in")
    page.locator("#id_starts_at").fill(
        weekday_0900_new_york(6).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_test_id("book-button").click()
    warnings = page.get_by_test_id("schedule-warnings")
    expect(warnings).to_contain_text("frequent check-ins can send the wrong message")
    page.get_by_test_id("book-button").click()
    page.locator("#id_reason.is-invalid").wait_for()
    assert page.locator("#id_title").input_value() == "Extra check-in"
    assert not Meeting.objects.filter(title="Extra check-in").exists()
    page.locator("#id_reason").fill(REASON)
    page.get_by_test_id("book-button").click()
    page.get_by_test_id("meeting-title").wait_for()
    check_in = Meeting.objects.get(title="Extra check-in")

    # 4. Sofia reads why they are meeting, on the invitation and on the meeting
    context, sofia_page = signed_in(browser, live_server, sofia)
    sofia_page.goto("/accounts/notifications/")
    expect(sofia_page.locator("main")).to_contain_text(REASON)
    sofia_page.goto(f"/meetings/{check_in.pk}/")
    expect(sofia_page.get_by_test_id("meeting-reason")).to_have_text(
        f"Why we are meeting: {REASON}"
    )
    context.close()
