"""Browser journey: an admin connects a dialer, a call from an unknown number arrives,
and the admin assigns it to the rep from the Unmatched calls page (no CSP violation)."""

import pytest
from django.test import Client

from activities.models import Activity
from integrations.models import CallSource
from tests import factories
from tests.helpers import browser_login
from tests.integrations.calls_helpers import twilio_params, twilio_post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_connects_twilio_and_assigns_an_unmatched_call(page):
    factories.standard_template()
    admin = factories.AdminFactory(email="anna@example.com")
    rep = factories.RepFactory(first_name="Eleni", last_name="Papadopoulou")
    browser_login(page, admin.email, factories.PASSWORD)

    # The admin connects Twilio with the account's auth token.
    page.goto("/integrations/dialers/")
    page.get_by_text("No dialer is connected yet").wait_for()
    page.get_by_label("Name").fill("Twilio")
    page.get_by_label("Kind").select_option("twilio")
    page.get_by_label("Secret").fill("0123456789abcdef0123456789abcdef")
    page.get_by_role("button", name="Connect").click()
    page.get_by_text("Twilio is connected").wait_for()
    source = CallSource.objects.get()
    assert source.key in page.get_by_test_id("source-url").input_value()

    # A call from a number on nobody's profile arrives.
    twilio_post(Client(), source, twilio_params(From="+442079460000"))

    # The admin finds it under Unmatched calls and assigns it to Eleni.
    page.goto("/integrations/dialers/")
    page.get_by_test_id("unmatched-link").click()
    page.get_by_text("+442079460000").first.wait_for()
    page.get_by_label("Log it for").select_option(label="Eleni Papadopoulou")
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("The call is logged for Eleni Papadopoulou").wait_for()
    page.get_by_text("Nothing waits to be assigned").wait_for()
    assert Activity.objects.get().rep == rep
