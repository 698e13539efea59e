"""Browser journey for consistency in the rep's own hands: Eleni sees her work days and
streak, sets a personal goal above her target (a goal below it is explained, nothing
she typed is lost), shares it; her manager sees the shared goal on her drill-down, and
neither her unshared goal nor her consistency."""

import datetime as dt
import os
import re

import pytest
from playwright.sync_api import expect

from activities.services import activity_log
from tests import factories
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_rep_sees_her_consistency_and_shares_a_personal_goal(page):
    manager = factories.ManagerFactory(email="mark@example.com")
    team = factories.TeamFactory(name="Aegean", manager=manager)
    eleni = factories.RepFactory(
        team=team,
        first_name="Eleni",
        email="eleni@example.com",
        timezone="Europe/Athens",
    )
    factories.TargetFactory(rep=eleni, metric=factories.metric("calls"), amount=25)
    factories.TargetFactory(
        rep=eleni, metric=factories.metric("appointments"), period="week", amount=5
    )
    # She logged calls on each of the last three days, at midnight her time
    today = eleni.local_date()
    for back in range(3):
        moment = dt.datetime.combine(
            today - dt.timedelta(days=back), dt.time(0, 5), tzinfo=eleni.zone
        )
        activity_log(rep=eleni, metric="calls", quantity=4, occurred_at=moment)

    # Eleni opens her results: how regularly she works to her plan
    browser_login(page, eleni.email, factories.PASSWORD)
    page.goto("/targets/results/")
    expect(page.get_by_test_id("consistency-month")).to_have_text(
        re.compile(r"\d+ of \d+ work days this month · streak \d+ days?, best \d+")
    )
    expect(page.get_by_test_id("consistency")).to_contain_text("Only you see this.")
    expect(page.get_by_test_id("no-personal-goals")).to_be_visible()

    # A goal below her agreed target is explained, and what she typed stays
    form = page.get_by_test_id("goal-form")
    form.get_by_label("Metric").select_option("calls")
    form.get_by_label("My goal").fill("20")
    form.get_by_label("Share with my manager").check()
    form.get_by_test_id("goal-submit").click()
    expect(page.get_by_test_id("goal-error-amount")).to_have_text(
        "Your agreed target is 25 Calls per day: aim above it."
    )
    form = page.get_by_test_id("goal-form")
    expect(form.get_by_label("My goal")).to_have_value("20")
    expect(form.get_by_label("Share with my manager")).to_be_checked()
    expect(form.get_by_label("Metric")).to_have_value("calls")

    # Above it, shared: set
    form.get_by_label("My goal").fill("30")
    form.get_by_test_id("goal-submit").click()
    expect(page.get_by_text("Your personal goal is set. Go for it!")).to_be_visible()
    goal = page.get_by_test_id("personal-goal")
    expect(goal).to_contain_text("30 per day")
    expect(goal.get_by_test_id("goal-shared")).to_be_visible()

    # And one for herself only
    form = page.get_by_test_id("goal-form")
    form.get_by_label("Metric").select_option("appointments")
    form.get_by_label("My goal").fill("7")
    form.get_by_test_id("goal-submit").click()
    expect(page.get_by_test_id("personal-goal")).to_have_count(2)
    # On a phone the page does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if shots := os.environ.get("SCREENSHOTS_DIR"):
        page.get_by_test_id("consistency").scroll_into_view_if_needed()
        page.screenshot(path=f"{shots}/consistency-phone.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Her manager sees the shared goal on her drill-down, and nothing else of it
    page.context.clear_cookies()
    browser_login(page, manager.email, factories.PASSWORD)
    page.goto(f"/targets/results/{eleni.pk}/")
    shared = page.get_by_test_id("personal-goals")
    expect(shared).to_contain_text("Personal goals shared with you")
    expect(shared.get_by_test_id("personal-goal")).to_have_count(1)
    expect(shared).to_contain_text("30 per day")
    expect(shared).not_to_contain_text("7 per week")
    expect(page.get_by_test_id("consistency")).to_have_count(0)
    expect(page.get_by_test_id("goal-form")).to_have_count(0)
    # The recent activities give the day, not the time she logged
    expect(page.get_by_test_id("recent-activities")).not_to_contain_text("00:05")
    if shots := os.environ.get("SCREENSHOTS_DIR"):
        page.screenshot(path=f"{shots}/consistency-manager.png", full_page=True)
