"""Webhook subscriptions and their deliveries (integrations.webhooks): admins only."""

from django.utils import timezone

from integrations.models import WebhookDelivery, WebhookEvent
from integrations.webhooks.subscriptions import subscription_create
from tests.permission_matrix import API_ANON, Row, admin_only

# A public address literal: nothing to resolve, and the tests never connect to it.
URL = "https://93.184.215.14/hooks"


def subscription_pk(world) -> dict:
    subscription = subscription_create(
        by=world["admin"], url=URL, events=["activity.logged"]
    )
    return {"pk": subscription.pk}


def delivery_pk(world) -> dict:
    subscription = subscription_create(by=world["admin"], url=URL, events=["deal.won"])
    event = WebhookEvent.objects.create(
        message_id=f"msg_matrix_{subscription.pk}",
        event="deal.won",
        ids={"deal_id": 1},
        payload={"type": "deal.won", "version": "1", "data": {}},
        occurred_at=timezone.now(),
        fanned_out_at=timezone.now(),
    )
    delivery = WebhookDelivery.objects.create(subscription=subscription, event=event)
    return {"pk": delivery.pk}


ROWS = [
    Row("integrations:webhooks", admin_only()),
    Row("integrations:webhook_create", admin_only()),
    Row("integrations:webhook", admin_only(), kwargs=subscription_pk),
    Row("integrations:webhook_edit", admin_only(), kwargs=subscription_pk),
    Row(
        "integrations:webhook_toggle",
        admin_only(302),
        kwargs=subscription_pk,
        method="post",
    ),
    Row(
        "integrations:webhook_rotate",
        admin_only(302),
        kwargs=subscription_pk,
        method="post",
    ),
    Row(
        "integrations:webhook_test",
        admin_only(302),
        kwargs=subscription_pk,
        method="post",
    ),
    Row(
        "integrations:webhook_delete",
        admin_only(302),
        kwargs=subscription_pk,
        method="post",
    ),
    Row("integrations:webhook_delivery", admin_only(), kwargs=delivery_pk),
    Row(
        "integrations:webhook_replay",
        admin_only(302),
        kwargs=delivery_pk,
        method="post",
    ),
    Row("api-webhook-subscription-list", admin_only(anonymous=API_ANON)),
    Row(
        "api-webhook-subscription-detail",
        admin_only(anonymous=API_ANON),
        kwargs=subscription_pk,
    ),
    Row(
        "api-webhook-subscription-rotate-secret",
        admin_only(anonymous=API_ANON),
        kwargs=subscription_pk,
        method="post",
    ),
    Row(
        "api-webhook-subscription-test",
        admin_only(202, anonymous=API_ANON),
        kwargs=subscription_pk,
        method="post",
    ),
    Row(
        "api-webhook-subscription-deliveries",
        admin_only(anonymous=API_ANON),
        kwargs=subscription_pk,
    ),
    Row(
        "api-webhook-delivery-detail",
        admin_only(anonymous=API_ANON),
        kwargs=delivery_pk,
    ),
    Row(
        "api-webhook-delivery-replay",
        admin_only(202, anonymous=API_ANON),
        kwargs=delivery_pk,
        method="post",
    ),
]
