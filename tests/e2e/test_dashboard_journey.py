"""Browser journey: the demo manager reads the dashboard, drills down and exports CSV."""

import csv
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def calls_percents(page) -> list[int]:
    cells = page.get_by_test_id("dashboard-row").get_by_test_id("cell-calls")
    return [
        int(match.group(1)) if (match := re.search(r"(\d+) %", text)) else -1
        for text in cells.all_inner_texts()
    ]


def test_the_manager_reads_the_dashboard_drills_down_and_exports(page):
    # Given the demo organisation, and Mark, its New York manager, logged in
    call_command("seed_demo", verbosity=0)
    browser_login(page, "mark@example.com", DEMO_PASSWORD)
    # Then he lands on his team's dashboard: six reps, a totals row, local times
    expect(page.get_by_test_id("dashboard-row")).to_have_count(6)
    expect(page.get_by_test_id("totals-row")).to_be_visible()
    expect(page.get_by_test_id("dashboard-table")).to_contain_text("Athens")

    # When he switches the period to this month
    page.get_by_test_id("filter-period").select_option("month")
    page.wait_for_url(re.compile(r"period=month"))
    expect(page.get_by_test_id("filter-period")).to_have_value("month")
    expect(page.get_by_test_id("dashboard-row")).to_have_count(6)

    # And sorts by calls (best first)
    page.get_by_test_id("sort-calls").click()
    page.wait_for_url(re.compile(r"sort=calls"))
    assert "period=month" in page.url
    percents = calls_percents(page)
    assert percents == sorted(percents, reverse=True) and len(percents) == 6

    # When he opens the first rep's results
    first_rep = page.get_by_test_id("rep-link").first
    name = first_rep.inner_text()
    first_rep.click()
    expect(page.get_by_test_id("results-title")).to_have_text(name)
    # Then the charts render with data
    for period in ("day", "week", "month"):
        canvas = page.get_by_test_id(f"chart-{period}")
        expect(canvas).to_be_visible()
        points = canvas.evaluate(
            "canvas => Chart.getChart(canvas).data.datasets[0].data.length"
        )
        assert points > 0, period
    expect(page.get_by_test_id("target-history")).to_contain_text("Mark Miller")
    expect(page.get_by_test_id("streaks")).to_be_visible()

    # When he goes back and exports the dashboard as CSV
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as exported:
        lines = list(csv.reader(exported))
    # Then it holds the same six reps in the same order, and the totals
    names = page.get_by_test_id("rep-link").all_inner_texts()
    assert [line[0] for line in lines[1:-1]] == names
    assert lines[-1][0] == "Team total"

    # And on a phone nothing but the table scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
