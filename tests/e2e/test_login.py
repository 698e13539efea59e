"""Browser journey: a demo user logs in and sees the home page."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_manager_logs_in_and_sees_home(page):
    call_command("seed_demo", verbosity=0)
    browser_login(page, "mark@example.com", DEMO_PASSWORD)
    greeting = page.get_by_test_id("home-greeting")
    greeting.wait_for()
    assert "Mark" in greeting.inner_text()
    # Bootstrap came from the pinned npm package through the static files finder.
    assert (
        page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    )


def test_wrong_password_shows_an_error_and_stays_logged_out(page):
    call_command("seed_demo", verbosity=0)
    browser_login(page, "mark@example.com", "not-the-password")
    page.get_by_text("Please enter a correct email address and password").wait_for()
    assert "/accounts/login/" in page.url
