"""The admins' webhook pages: list, create with clear errors, detail and log, replay."""

import datetime as dt

import pytest
from django.utils import timezone

from integrations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from integrations.webhooks.subscriptions import subscription_create
from tests.integrations.test_webhooks_api import URL, deliveries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client, admin_user):
    client.force_login(admin_user)
    client.get("/integrations/webhooks/")  # warm up the session and content types
    return client


def test_the_list_shows_an_empty_state_then_the_subscriptions(
    admin_client_logged, admin_user, django_assert_num_queries
):
    page = admin_client_logged.get("/integrations/webhooks/")
    assert "No webhooks yet" in page.content.decode()
    for n in range(3):
        subscription_create(
            by=admin_user, url=f"{URL}/{n}", events=["deal.won"], description=f"D{n}"
        )
    # session, user, the subscriptions, unread notifications
    with django_assert_num_queries(4):
        page = admin_client_logged.get("/integrations/webhooks/")
    assert page.content.decode().count("/integrations/webhooks/") >= 4


def test_creating_with_a_private_address_keeps_the_input_and_says_why(
    admin_client_logged,
):
    response = admin_client_logged.post(
        "/integrations/webhooks/new/",
        {
            "url": "https://192.168.1.9/hook",
            "description": "Office",
            "events": ["deal.won"],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "private, local or reserved address (192.168.1.9)" in html
    assert 'value="https://192.168.1.9/hook"' in html
    assert not WebhookSubscription.objects.exists()


def test_creating_without_an_event_says_so(admin_client_logged):
    response = admin_client_logged.post(
        "/integrations/webhooks/new/", {"url": URL, "events": []}
    )
    assert response.status_code == 400
    assert "Choose at least one event." in response.content.decode()


def test_creating_leads_to_the_secret(admin_client_logged):
    response = admin_client_logged.post(
        "/integrations/webhooks/new/",
        {"url": URL, "events": ["deal.won", "kudos.given"]},
        follow=True,
    )
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["deal.won", "kudos.given"]
    assert subscription.secret in response.content.decode()


def test_the_detail_and_its_log_take_a_fixed_number_of_queries(
    admin_client_logged, admin_user, django_assert_num_queries
):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    deliveries_of(subscription, 30)
    url = f"/integrations/webhooks/{subscription.pk}/"
    # session, user, subscription, count, page of deliveries (+ events), notifications
    with django_assert_num_queries(6):
        page = admin_client_logged.get(url)
    html = page.content.decode()
    assert html.count("/integrations/webhooks/deliveries/") == 25
    assert "Page 1 of 2" in html
    assert "Page 2 of 2" in admin_client_logged.get(url, {"page": 2}).content.decode()


def test_a_delivery_page_shows_attempts_and_payload(
    admin_client_logged, admin_user, django_assert_num_queries
):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    deliveries_of(subscription, 1, attempts=3)
    delivery = WebhookDelivery.objects.get()
    WebhookAttempt.objects.filter(number=3).update(error="TimeoutError: timed out")
    # session, user, delivery (+ relations), attempts, notifications
    with django_assert_num_queries(5):
        page = admin_client_logged.get(
            f"/integrations/webhooks/deliveries/{delivery.pk}/"
        )
    html = page.content.decode()
    assert html.count("#") >= 3 and "TimeoutError: timed out" in html
    assert "&quot;type&quot;: &quot;deal.won&quot;" in html


def test_replaying_from_the_page_queues_a_new_delivery(admin_client_logged, admin_user):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    deliveries_of(subscription, 1)
    delivery = WebhookDelivery.objects.get()
    response = admin_client_logged.post(
        f"/integrations/webhooks/deliveries/{delivery.pk}/replay/"
    )
    replay = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert response.url == f"/integrations/webhooks/deliveries/{replay.pk}/"
    assert replay.replay_of == delivery


def test_disabling_and_enabling_from_the_page(admin_client_logged, admin_user):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    toggle = f"/integrations/webhooks/{subscription.pk}/toggle/"
    admin_client_logged.post(toggle)
    subscription.refresh_from_db()
    assert not subscription.is_active and subscription.disabled_at <= timezone.now()
    page = admin_client_logged.get(f"/integrations/webhooks/{subscription.pk}/")
    assert "Disabled: nothing is sent until you enable it." in page.content.decode()
    admin_client_logged.post(toggle)
    subscription.refresh_from_db()
    assert subscription.is_active


def test_rotating_from_the_page_shows_both_secrets(admin_client_logged, admin_user):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    old = subscription.secret
    response = admin_client_logged.post(
        f"/integrations/webhooks/{subscription.pk}/rotate/", follow=True
    )
    subscription.refresh_from_db()
    html = response.content.decode()
    assert old in html and subscription.secret in html
    assert "signed with both the old and the new secret" in html


def test_a_rep_is_told_no(client, rep):
    client.force_login(rep)
    assert client.get("/integrations/webhooks/").status_code == 403


def test_the_events_are_described_in_the_admins_language(client, admin_user):
    from django.utils import translation

    admin_user.language = "el"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    html = client.get("/integrations/webhooks/new/").content.decode()
    with translation.override("el"):
        greek = translation.gettext("A rep logged an activity.")
    assert greek != "A rep logged an activity." and greek in html


def test_the_log_shows_times_in_the_admins_own_zone(admin_client_logged, admin_user):
    admin_user.timezone = "Australia/Sydney"
    admin_user.save(update_fields=["timezone"])
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    deliveries_of(subscription, 1, attempts=1)
    delivery = WebhookDelivery.objects.get()
    at = dt.datetime(2026, 11, 30, 22, 15, tzinfo=dt.UTC)
    WebhookDelivery.objects.update(created_at=at)
    WebhookAttempt.objects.update(started_at=at)
    # 22:15 UTC on 30 November is 09:15 on 1 December in Sydney (UTC+11).
    for address in (
        f"/integrations/webhooks/{subscription.pk}/",
        f"/integrations/webhooks/deliveries/{delivery.pk}/",
    ):
        html = admin_client_logged.get(address).content.decode()
        assert "Tue 1 Dec 2026, 09:15" in html, address
        assert "11/30/2026" not in html
