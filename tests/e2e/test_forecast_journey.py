"""Browser journey: the demo manager reads each rep's month forecast, on a phone too."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_sees_each_reps_month_forecast_and_the_teams_sum(page):
    # Given the demo organisation, and Mark, its New York manager, logged in
    call_command("seed_demo", verbosity=0)
    browser_login(page, "mark@example.com", DEMO_PASSWORD)

    # Then every rep and the team total have a month forecast, explained below
    expect(page.get_by_test_id("forecast-header")).to_have_text("Month forecast")
    rows = page.get_by_test_id("dashboard-row")
    expect(rows.get_by_test_id("cell-forecast")).to_have_count(rows.count())
    expect(
        page.get_by_test_id("totals-row").get_by_test_id("cell-forecast")
    ).to_contain_text("/")
    expect(page.get_by_test_id("forecast-legend")).to_be_visible()

    # And on a phone the page does not scroll sideways: the table does, to the forecast
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # (scrolled until the forecast meets the sticky names column, it fits beside it)
    edges = page.locator(".table-responsive").evaluate(
        """box => {
          const cell = box.querySelector('[data-testid="cell-forecast"]');
          const name = box.querySelector('[data-testid="dashboard-row"] th');
          box.scrollLeft += cell.getBoundingClientRect().left
            - name.getBoundingClientRect().right;
          const shown = cell.getBoundingClientRect();
          return [name.getBoundingClientRect().right, shown.left, shown.right];
        }"""
    )
    names_end, left, right = edges
    assert names_end <= left + 1 and right <= 390
    if shots := os.environ.get("SCREENSHOTS_DIR"):
        page.screenshot(path=f"{shots}/forecast-phone.png", full_page=True)
