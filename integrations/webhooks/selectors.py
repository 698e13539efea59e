"""Reads of the webhooks: subscriptions and their delivery log, for admins only.

Anyone else gets an empty queryset, so a lookup of theirs is a 404 (the views and the
API refuse them before that with a 403, as for every admin page).
"""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription


def subscriptions_for(viewer: User) -> QuerySet[WebhookSubscription]:
    if not viewer.is_admin:
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.select_related("created_by").order_by("pk")


def subscription_get(*, viewer: User, pk: int) -> WebhookSubscription | None:
    return subscriptions_for(viewer).filter(pk=pk).first()


def deliveries_for(
    *, viewer: User, subscription: WebhookSubscription
) -> QuerySet[WebhookDelivery]:
    """A subscription's deliveries, newest first, with their event (one query a page)."""
    if not viewer.is_admin:
        return WebhookDelivery.objects.none()
    return (
        WebhookDelivery.objects.filter(subscription=subscription)
        .select_related("event")
        .order_by("-pk")
    )


def deliveries_with_attempts(
    *, viewer: User, subscription: WebhookSubscription
) -> QuerySet[WebhookDelivery]:
    return deliveries_for(viewer=viewer, subscription=subscription).prefetch_related(
        Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
    )


def delivery_get(*, viewer: User, pk: int) -> WebhookDelivery | None:
    if not viewer.is_admin:
        return None
    return (
        WebhookDelivery.objects.filter(pk=pk)
        .select_related("event", "subscription", "replay_of", "requested_by")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )
        .first()
    )
