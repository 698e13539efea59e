"""Webhooks delivered to a real receiver on 127.0.0.1, verified with `standardwebhooks`.

The receiver is http.server in a thread; every message it gets is verified with
`standardwebhooks.Webhook(secret).verify`, the PyPI package, never our own code.
"""

import datetime as dt
import json

import pytest
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from accounts.models import Notification
from core import events
from integrations.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from integrations.webhooks import deliveries, listening
from integrations.webhooks.deliveries import (
    backoff_seconds,
    delivery_replay,
    webhooks_sweep,
)
from integrations.webhooks.subscriptions import (
    secret_rotate,
    subscription_create,
    subscription_ping,
    subscription_update,
)
from tests import factories

pytestmark = pytest.mark.django_db


def verified(received, secret: str) -> dict:
    """The payload, after `standardwebhooks` checked the signature and the timestamp."""
    return Webhook(secret).verify(received.body, received.headers)


@pytest.fixture
def activity(rep):
    return factories.ActivityFactory(rep=rep)


def publish(capture, event: str, **ids) -> None:
    with capture(execute=True):
        events.publish(event, **ids)


def make_due(delivery: WebhookDelivery) -> None:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_an_event_reaches_every_subscription_signed_with_its_own_secret(
    receiver,
    admin_user,
    activity,
    listening_for_real,
    django_capture_on_commit_callbacks,
):
    # Given two subscriptions to activity.logged and one to deal.won only
    first = subscription_create(
        by=admin_user, url=receiver.url, events=["activity.logged"]
    )
    second = subscription_create(
        by=admin_user, url=receiver.url, events=["activity.logged", "deal.won"]
    )
    subscription_create(by=admin_user, url=receiver.url, events=["deal.won"])

    # When an activity is announced
    publish(
        django_capture_on_commit_callbacks, "activity.logged", activity_id=activity.pk
    )

    # Then two messages arrive, each verifying with its subscription's secret only
    assert len(receiver.received) == 2
    secrets = {first.secret, second.secret}
    for received in receiver.received:
        matching = [s for s in secrets if _verifies(received, s)]
        assert len(matching) == 1
        secrets -= set(matching)
        body = verified(received, matching[0])
        assert body["type"] == "activity.logged"
        assert body["version"] == "1"
        assert body["data"]["id"] == activity.pk
        assert body["data"]["rep"]["email"] == activity.rep.email
        assert body["data"]["metric"] == "calls"
        assert received.path == "/hooks/salesteam?team=a"
        assert received.headers["Content-Type"] == "application/json"
    # And one message id for the event, the same for both receivers
    ids = {received.headers["webhook-id"] for received in receiver.received}
    assert ids == {WebhookEvent.objects.get().message_id}
    # And both deliveries are logged as delivered on the first attempt
    assert (
        sorted(
            WebhookDelivery.objects.values_list(
                "status", "attempts", "last_status_code"
            )
        )
        == [(DeliveryStatus.SUCCEEDED, 1, 200)] * 2
    )


def _verifies(received, secret) -> bool:
    try:
        verified(received, secret)
    except WebhookVerificationError:
        return False
    return True


def test_a_tampered_body_does_not_verify(
    receiver,
    admin_user,
    activity,
    listening_for_real,
    django_capture_on_commit_callbacks,
):
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["activity.logged"]
    )
    publish(
        django_capture_on_commit_callbacks, "activity.logged", activity_id=activity.pk
    )
    received = receiver.received[0]
    received.body = received.body.replace(b'"quantity":1', b'"quantity":9')
    with pytest.raises(WebhookVerificationError):
        verified(received, subscription.secret)


def test_an_event_no_one_listens_to_costs_no_query(
    admin_user, activity, listening_for_real, django_assert_num_queries
):
    # Given a subscription to deal.won only, and the listeners already read
    subscription_create(
        by=admin_user, url="https://93.184.215.14/", events=["deal.won"]
    )
    listening.listened_events()

    # When an activity is announced, the subscriber asks the database nothing
    with django_assert_num_queries(0):
        listening.on_event("activity.logged", {"activity_id": activity.pk})
    assert not WebhookEvent.objects.exists()


def test_a_failed_delivery_is_retried_after_a_500_and_then_succeeds(
    receiver,
    admin_user,
    activity,
    listening_for_real,
    django_capture_on_commit_callbacks,
):
    # Given a receiver that fails once with a 500
    receiver.script = [500]
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["activity.logged"]
    )
    publish(
        django_capture_on_commit_callbacks, "activity.logged", activity_id=activity.pk
    )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1 and delivery.last_status_code == 500
    # The retry waits: the sweep sends nothing before it is due
    assert webhooks_sweep()["due"] == 0
    first_try = WebhookAttempt.objects.get().started_at
    # 10 s ± 20 % after the attempt ended (a loaded machine may take a while to end it)
    assert 8 <= (delivery.next_attempt_at - first_try).total_seconds() <= 12 + 5

    # When the retry is due and the sweep runs
    make_due(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks_sweep()

    # Then the same message (same id, new signature) arrives and verifies
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert verified(second, subscription.secret) == verified(first, subscription.secret)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 2)
    assert list(
        WebhookAttempt.objects.order_by("number").values_list(
            "number", "succeeded", "status_code"
        )
    ) == [(1, False, 500), (2, True, 200)]
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_the_retry_waits_grow_exponentially_with_jitter_over_about_a_day(settings):
    import random

    rng = random.Random(7)
    waits = [
        backoff_seconds(n, rng=rng) for n in range(1, settings.WEBHOOK_MAX_ATTEMPTS)
    ]
    # Each within 20 % of 10 s × 4^(n-1), capped at 12 h
    for n, wait in enumerate(waits, start=1):
        nominal = min(10 * 4 ** (n - 1), 12 * 3600)
        assert 0.8 * nominal <= wait <= 1.2 * nominal
    assert 20 * 3600 < sum(waits) < 34 * 3600
    # Jitter: two draws for the same attempt differ
    assert backoff_seconds(3, rng=rng) != backoff_seconds(3, rng=rng)


def test_a_delivery_that_runs_out_of_attempts_is_failed(
    receiver,
    admin_user,
    activity,
    settings,
    listening_for_real,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.script = [503, 503]
    subscription_create(by=admin_user, url=receiver.url, events=["activity.logged"])
    publish(
        django_capture_on_commit_callbacks, "activity.logged", activity_id=activity.pk
    )
    delivery = WebhookDelivery.objects.get()
    make_due(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks_sweep()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)
    assert delivery.next_attempt_at is None
    assert delivery.last_error == "The receiver answered 503."


def test_failures_in_a_row_disable_the_subscription_and_tell_its_owner(
    receiver,
    admin_user,
    rep,
    settings,
    listening_for_real,
    django_capture_on_commit_callbacks,
):
    # Given a limit of 3 failures in a row and a receiver that always fails
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.script = [500] * 10
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["activity.logged"]
    )
    activities = [factories.ActivityFactory(rep=rep) for _ in range(3)]

    # When three events fail once each
    for activity in activities:
        publish(
            django_capture_on_commit_callbacks,
            "activity.logged",
            activity_id=activity.pk,
        )

    # Then the subscription is disabled, its pending retries failed
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.disabled_reason == DisabledReason.FAILURES
    assert subscription.consecutive_failures == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {
        DeliveryStatus.FAILED
    }
    # And its owner is told, once
    note = Notification.objects.get(user=admin_user, kind="webhook.disabled")
    assert "3 deliveries in a row failed" in note.body
    assert note.url == f"/integrations/webhooks/{subscription.pk}/"
    # And nothing more is sent, nor recorded for it
    sent = len(receiver.received)
    publish(
        django_capture_on_commit_callbacks,
        "activity.logged",
        activity_id=activities[0].pk,
    )
    assert len(receiver.received) == sent == 3
    assert WebhookDelivery.objects.count() == 3

    # When the admin enables it again, the count starts from zero
    subscription_update(subscription=subscription, by=admin_user, is_active=True)
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.consecutive_failures == 0


def test_a_replay_sends_the_same_message_again_and_is_logged_apart(
    receiver,
    admin_user,
    activity,
    listening_for_real,
    django_capture_on_commit_callbacks,
):
    # Given a delivery that failed for good
    receiver.script = [500]
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["activity.logged"]
    )
    publish(
        django_capture_on_commit_callbacks, "activity.logged", activity_id=activity.pk
    )
    original = WebhookDelivery.objects.get()

    # When the admin replays it
    with django_capture_on_commit_callbacks(execute=True):
        replay = delivery_replay(delivery=original, by=admin_user)

    # Then it arrives again with the same webhook-id and verifies
    assert len(receiver.received) == 2
    assert receiver.received[1].headers["webhook-id"] == original.event.message_id
    assert verified(receiver.received[1], subscription.secret)["data"]["id"] == (
        activity.pk
    )
    replay.refresh_from_db()
    assert replay.replay_of == original
    assert replay.status == DeliveryStatus.SUCCEEDED
    original.refresh_from_db()
    assert (original.status, original.attempts) == (DeliveryStatus.PENDING, 1)


def test_a_replay_to_a_disabled_subscription_is_refused(admin_user, activity):
    from django.core.exceptions import ValidationError

    subscription = subscription_create(
        by=admin_user, url="https://93.184.215.14/", events=["activity.logged"]
    )
    event = WebhookEvent.objects.create(
        message_id="msg_x", event="activity.logged", ids={}, occurred_at=timezone.now()
    )
    delivery = WebhookDelivery.objects.create(subscription=subscription, event=event)
    subscription_update(subscription=subscription, by=admin_user, is_active=False)
    delivery.refresh_from_db()
    with pytest.raises(ValidationError, match="enable it to replay"):
        delivery_replay(delivery=delivery, by=admin_user)


def test_during_the_grace_period_old_and_new_secret_both_verify(
    receiver,
    admin_user,
    activity,
    settings,
    listening_for_real,
    django_capture_on_commit_callbacks,
):
    # Given a subscription whose secret is rotated
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["activity.logged"]
    )
    old_secret = subscription.secret
    rotated = secret_rotate(subscription=subscription, by=admin_user)
    assert rotated.secret != old_secret
    assert rotated.previous_secret_expires_at > timezone.now() + dt.timedelta(hours=23)

    # When a message goes out
    publish(
        django_capture_on_commit_callbacks, "activity.logged", activity_id=activity.pk
    )

    # Then it carries two signatures, and each secret verifies it
    received = receiver.received[0]
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    assert verified(received, rotated.secret)["type"] == "activity.logged"
    assert verified(received, old_secret)["type"] == "activity.logged"

    # After the grace period only the new secret signs
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        previous_secret_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        subscription_ping(subscription=rotated, by=admin_user)
    latest = receiver.received[-1]
    assert len(latest.headers["webhook-signature"].split(" ")) == 1
    assert verified(latest, rotated.secret)["type"] == "webhook.test"
    with pytest.raises(WebhookVerificationError):
        verified(latest, old_secret)


def test_a_test_message_verifies_whatever_the_events(receiver, admin_user):
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["deal.won"]
    )
    subscription_ping(subscription=subscription, by=admin_user)
    deliveries.delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk)
    body = verified(receiver.received[0], subscription.secret)
    assert body["type"] == "webhook.test"
    assert body["data"]["subscription_id"] == subscription.pk


def test_a_redirect_is_not_followed(receiver, admin_user):
    # Given a receiver that answers with a redirect to another address
    receiver.script = [302]
    receiver.extra_headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["deal.won"]
    )
    subscription_ping(subscription=subscription, by=admin_user)
    delivery = WebhookDelivery.objects.get()

    # When it is sent, it fails without a second request
    assert deliveries.delivery_attempt(delivery_id=delivery.pk) is False
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert delivery.last_status_code == 302
    assert "redirect" in delivery.last_error


def test_the_answer_kept_is_capped(receiver, admin_user, settings):
    settings.WEBHOOK_RESPONSE_BODY_LIMIT = 16
    receiver.answer_body = b"x" * 5000
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["deal.won"]
    )
    subscription_ping(subscription=subscription, by=admin_user)
    deliveries.delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk)
    assert WebhookAttempt.objects.get().response_body == "x" * 16


def test_an_address_that_turned_private_is_refused_at_delivery(
    admin_user, monkeypatch, settings
):
    # Given a subscription whose name resolved to a public address when saved
    from integrations.webhooks import addresses

    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])
    subscription = subscription_create(
        by=admin_user, url="https://hooks.example.com/in", events=["deal.won"]
    )
    # When the name now resolves to the loopback (DNS rebinding)
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["127.0.0.1"])
    subscription_ping(subscription=subscription, by=admin_user)
    delivery = WebhookDelivery.objects.get()

    # Then the attempt is refused before connecting, and logged as a failure
    assert deliveries.delivery_attempt(delivery_id=delivery.pk) is False
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "private, local or reserved address (127.0.0.1)" in attempt.error


def test_the_connection_goes_to_the_checked_address(admin_user, monkeypatch, receiver):
    # Given a host name allowed by the settings that resolves to 127.0.0.1 once
    from integrations.webhooks import addresses, sending

    settings_hosts = ["hooks.internal"]
    monkeypatch.setattr(addresses, "allowed_hosts", lambda: set(settings_hosts))
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["127.0.0.1"])
    url = f"http://hooks.internal:{receiver.port}/in"
    subscription = subscription_create(by=admin_user, url=url, events=["deal.won"])
    connected = []
    real = sending.open_socket

    def spy(address, port, timeout):
        connected.append(address)
        return real(address, port, timeout)

    monkeypatch.setattr(sending, "open_socket", spy)
    subscription_ping(subscription=subscription, by=admin_user)
    assert deliveries.delivery_attempt(delivery_id=WebhookDelivery.objects.get().pk)

    # Then it connected to the checked address, and said the host name
    assert connected == ["127.0.0.1"]
    assert receiver.received[0].headers["Host"] == f"hooks.internal:{receiver.port}"


def test_a_delivery_is_sent_once_when_two_workers_take_it(receiver, admin_user):
    subscription = subscription_create(
        by=admin_user, url=receiver.url, events=["deal.won"]
    )
    subscription_ping(subscription=subscription, by=admin_user)
    delivery_id = WebhookDelivery.objects.get().pk
    assert deliveries.delivery_attempt(delivery_id=delivery_id) is True
    assert deliveries.delivery_attempt(delivery_id=delivery_id) is None
    assert len(receiver.received) == 1


def test_an_event_whose_fan_out_was_lost_is_fanned_out_by_the_sweep(
    receiver,
    admin_user,
    activity,
    monkeypatch,
    listening_for_real,
    django_capture_on_commit_callbacks,
):
    # Given a broker that is down when the event is heard
    from core import queueing

    monkeypatch.setattr(queueing, "_broker_down_until", float("inf"))
    subscription_create(by=admin_user, url=receiver.url, events=["activity.logged"])
    publish(
        django_capture_on_commit_callbacks, "activity.logged", activity_id=activity.pk
    )
    event = WebhookEvent.objects.get()
    assert event.fanned_out_at is None and receiver.received == []

    # When the broker is back and the sweep runs
    monkeypatch.setattr(queueing, "_broker_down_until", 0.0)
    WebhookEvent.objects.filter(pk=event.pk).update(
        occurred_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks_sweep()["events"] == 1

    # Then the message arrives
    assert json.loads(receiver.received[0].body)["data"]["id"] == activity.pk


def test_the_sweep_runs_every_30_seconds_as_a_registered_task():
    from salesteam.celery import app
    from salesteam.periodic import PERIODIC_TASKS

    (spec,) = [s for s in PERIODIC_TASKS if s.task == "integrations.webhooks_sweep"]
    assert spec.every_seconds == 30
    app.loader.import_default_modules()
    assert {
        "integrations.webhooks_sweep",
        "integrations.webhook_deliver",
        "integrations.webhook_fan_out",
    } <= set(app.tasks)


def test_a_subscription_whose_name_no_longer_resolves_can_still_be_disabled(
    admin_user, monkeypatch
):
    from integrations.webhooks import addresses

    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])
    subscription = subscription_create(
        by=admin_user, url="https://hooks.example.com/in", events=["deal.won"]
    )

    def gone(host, port):
        raise OSError("Name or service not known")

    monkeypatch.setattr(addresses, "resolve", gone)
    subscription_update(subscription=subscription, by=admin_user, is_active=False)
    subscription.refresh_from_db()
    assert not subscription.is_active
    # But a changed address is checked again
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="could not be found"):
        subscription_update(
            subscription=subscription, by=admin_user, url="https://other.example.com/"
        )
