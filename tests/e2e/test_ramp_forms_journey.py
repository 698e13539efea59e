"""Browser journey: a manager's refused ramp change keeps what they typed, beside the
field, in an open section; once the ramp ends its history stays on the page."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.helpers import browser_login
from tests.scenarios import rep_on_ramp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_ramp_change_keeps_the_input_and_the_history_stays(page):
    factories.standard_template()
    started = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=8)
    rep = rep_on_ramp(
        factories.TeamFactory(),
        "UTC",
        starts_on=started,
        calls=("day", 25),
        revenue=("month", 20000),
    )
    browser_login(page, rep.team.manager.email, factories.PASSWORD)
    page.goto(f"/targets/results/{rep.pk}/")
    page.get_by_test_id("ramp-forms").locator("summary").click()

    # A step of 150 % is refused beside the steps, with the reason kept
    page.locator("#ramp-change-steps").fill("4x150")
    page.locator("#ramp-change-reason").fill("https://example.com/" + "a" * 280)
    page.get_by_role("button", name="Change the ramp").click()
    expect(page.locator("#ramp-change-steps.is-invalid")).to_be_visible()
    expect(page.locator("#ramp-change-steps")).to_have_value("4x150")
    expect(page.locator("#ramp-change-reason")).to_have_value(
        "https://example.com/" + "a" * 280
    )

    # Ending the ramp with a long reason: its history stays, and the page keeps its width
    page.locator("#ramp-end-reason").fill("https://example.com/" + "b" * 280)
    page.get_by_role("button", name="Full targets from today").click()
    expect(page.get_by_text("Ramp history")).to_be_visible()
    expect(page.get_by_test_id("ramp-changes")).to_contain_text("Ramp ended early")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
