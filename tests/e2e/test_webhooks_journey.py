"""Browser journey: an admin subscribes a receiver, copies the secret, sends a test."""

import pytest
from standardwebhooks import Webhook

from tests import factories
from tests.helpers import browser_login
from tests.integrations.webhook_receiver import receiver_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    state, server = receiver_start()
    yield state
    server.shutdown()
    server.server_close()


def test_admin_subscribes_a_receiver_and_a_test_message_verifies(page, receiver):
    admin = factories.AdminFactory(email="anna@example.com")
    browser_login(page, admin.email, factories.PASSWORD)

    # An empty list invites the first subscription
    page.goto("/integrations/webhooks/")
    page.get_by_text("No webhooks yet").wait_for()
    page.get_by_test_id("webhook-new").click()

    # A private address is refused with the reason, the input kept
    page.get_by_label("Address").fill("https://192.168.1.9/hook")
    page.get_by_label("deal.won").check()
    page.get_by_role("button", name="Subscribe").click()
    page.get_by_text("private, local or reserved address (192.168.1.9)").wait_for()

    # The receiver's address is accepted and the secret is shown on request
    page.get_by_label("Address").fill(receiver.url)
    page.get_by_label("Description").fill("Wins to chat")
    page.get_by_role("button", name="Subscribe").click()
    page.get_by_text("Copy the signing secret below").wait_for()
    page.get_by_text("Show the secret").click()
    secret = page.get_by_test_id("webhook-secret").inner_text().strip()
    assert secret.startswith("whsec_")

    # A test message arrives signed with that secret and is logged as delivered
    page.get_by_test_id("webhook-test").click()
    page.get_by_test_id("webhook-attempts").get_by_text("200").wait_for()
    body = Webhook(secret).verify(
        receiver.received[0].body, receiver.received[0].headers
    )
    assert body["type"] == "webhook.test"

    # The delivery log on the subscription's page lists it
    page.get_by_role("link", name="Wins to chat").click()
    page.get_by_test_id("webhook-deliveries").get_by_text("webhook.test").wait_for()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/b1_webhook_phone.png", full_page=True)
