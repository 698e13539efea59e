"""Browser journey: an admin adds a rep, who accepts the emailed invitation."""

import re

import pytest
from django.core import mail

from tests import factories
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_adds_a_rep_who_sets_a_password_and_is_welcomed(page):
    admin = factories.AdminFactory(email="anna@example.com")
    factories.TeamFactory(name="Aegean")

    # The admin adds a rep in the app.
    browser_login(page, admin.email, factories.PASSWORD)
    page.goto("/accounts/people/add/")
    page.get_by_label("First name").fill("Eleni")
    page.get_by_label("Last name").fill("Papadopoulou")
    page.get_by_label("Email address").fill("eleni@example.com")
    page.get_by_label("Team").select_option(label="Aegean")
    page.get_by_label("Time zone").select_option("Europe/Athens")
    page.get_by_label("Start date").fill("2026-12-01")
    page.get_by_role("button", name="Add and send invitation").click()
    page.get_by_text("an invitation is on its way to eleni@example.com").wait_for()

    # The invitation email reaches the rep's (test) mailbox.
    assert [message.to for message in mail.outbox] == [["eleni@example.com"]]
    link = re.search(r"https?://\S+/accounts/invite/\S+/", mail.outbox[0].body).group(0)
    invite_path = link.split("/accounts/", 1)[1]

    # The rep opens it in a fresh browser session and chooses a password.
    page.context.clear_cookies()
    page.goto(f"/accounts/{invite_path}")
    page.locator("#id_new_password1").fill("sunny-Athens-42")
    page.get_by_label("Password again").fill("sunny-Athens-42")
    page.get_by_role("button", name="Set password and start").click()
    page.get_by_test_id("welcome").wait_for()
    assert "Welcome aboard, Eleni" in page.get_by_test_id("welcome").inner_text()

    # Logging out and in again works with the new password.
    page.context.clear_cookies()
    browser_login(page, "eleni@example.com", "sunny-Athens-42")
    page.wait_for_url(re.compile(r".*/$"))
    assert "/accounts/login/" not in page.url
