"""Browser journey: a demo rep logs from the Today page and agrees to a new target."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from targets.services import target_set
from tests import factories
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def count_of(page, testid: str) -> tuple[int, int]:
    text = page.get_by_test_id(testid).get_by_test_id("count").inner_text()
    done, target = (int(part.replace(",", "")) for part in text.split("/"))
    return done, target


def test_a_rep_logs_her_day_and_agrees_to_a_new_target(page):
    # Given the demo organisation, and Eleni working every day (so "today" has targets)
    call_command("seed_demo", verbosity=0)
    User.objects.filter(email="eleni@example.com").update(
        work_days=[1, 2, 3, 4, 5, 6, 7]
    )
    browser_login(page, "eleni@example.com", DEMO_PASSWORD)
    page.get_by_test_id("home-greeting").wait_for()
    assert count_of(page, "progress-day-calls") == (0, 25)
    week_appointments, _ = count_of(page, "progress-week-appointments")
    calls_bar = page.get_by_test_id("progress-day-calls").locator(".progress-bar")
    # Empty; once her work day in Athens is over she is behind, and the bar shows a sliver
    style = calls_bar.get_attribute("style")
    assert style.startswith("width: 0%")
    assert ("min-width" in style) == (
        calls_bar.get_attribute("data-status") == "behind"
    )

    # When she logs three calls: two clicks (one with an outcome) and the "c" key
    page.get_by_test_id("log-call").click()
    expect(page.get_by_test_id("progress-day-calls")).to_contain_text("1 / 25")
    page.get_by_role("group", name="Call outcome").get_by_text("Connected").click()
    page.get_by_test_id("log-call").click()
    expect(page.get_by_test_id("progress-day-calls")).to_contain_text("2 / 25")
    page.get_by_test_id("home-greeting").click()
    page.keyboard.press("c")
    expect(page.get_by_test_id("progress-day-calls")).to_contain_text("3 / 25")
    # And one appointment and one thank-you note
    page.get_by_test_id("log-appointment").click()
    expect(page.get_by_test_id("progress-week-appointments")).to_contain_text(
        f"{week_appointments + 1} / 5"
    )
    page.get_by_test_id("log-thank-you").click()
    expect(page.get_by_test_id("progress-day-thank_you_notes")).to_contain_text(
        "1 / 10"
    )

    # Then the bars moved without a reload, and today's entries list all five
    calls_bar = page.get_by_test_id("progress-day-calls").locator(".progress-bar")
    expect(calls_bar).to_have_attribute("style", re.compile(r"^width: 12%"))
    expect(page.get_by_test_id("entries").locator("li")).to_have_count(5)
    expect(page.get_by_test_id("entries")).to_contain_text("Connected")

    # When her manager sets a new target and she opens Today again
    eleni = User.objects.get(email="eleni@example.com")
    target_set(
        rep=eleni,
        metric=factories.metric("emails"),
        period="day",
        amount=20,
        effective_from=eleni.local_date(),
        by=eleni.team.manager,
    )
    page.reload()
    # Then she can agree to it, and it leaves the list
    page.get_by_test_id("agree-emails").click()
    expect(page.get_by_test_id("quick-log-feedback")).to_contain_text(
        re.compile("you agreed to 20 Emails")
    )
    expect(page.get_by_test_id("agree-emails")).to_have_count(0)
    assert eleni.targets.get(metric__slug="emails").agreed_at is not None

    # And on a phone the big buttons fill the width and nothing scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    call_button = page.get_by_test_id("log-call").bounding_box()
    assert call_button["width"] > 300 and call_button["height"] >= 60
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
