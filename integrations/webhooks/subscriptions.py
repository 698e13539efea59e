"""Every write about webhook subscriptions: create, change, enable, rotate, remove.

Admins only. The address is checked against SSRF (`addresses.target_check`) on every
save; each change refreshes this process's list of listened events at once.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from integrations.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from integrations.webhooks import listening
from integrations.webhooks.addresses import target_check
from integrations.webhooks.payloads import EVENT_TYPES, TEST_EVENT, payload
from integrations.webhooks.signing import secret_new

MAX_DESCRIPTION_LENGTH = 200
MAX_URL_LENGTH = 2000


def _check_admin(by: User) -> None:
    if not by.is_admin:
        raise PermissionDenied(_("Only admins manage webhooks."))


def _clean(
    *, url: str, events: list[str], description: str, check_url: bool = True
) -> dict:
    errors: dict[str, list[str]] = {}
    url = (url or "").strip()
    if not url:
        errors["url"] = [_("Enter the address that receives the events.")]
    elif len(url) > MAX_URL_LENGTH:
        errors["url"] = [_("The address is too long (2000 characters at most).")]
    elif check_url:
        try:
            target_check(url)
        except ValidationError as error:
            errors.update(error.message_dict)
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if unknown:
        errors["events"] = [
            _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}
        ]
    elif not events:
        errors["events"] = [_("Choose at least one event.")]
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION_LENGTH:
        errors["description"] = [_("Keep the description to 200 characters.")]
    if "\x00" in url + description:
        errors.setdefault("description", []).append(
            _("Null characters are not allowed.")
        )
    if errors:
        raise ValidationError(errors)
    # Keep the catalogue's order, each event once.
    return {
        "url": url,
        "events": [name for name in EVENT_TYPES if name in set(events)],
        "description": description,
    }


def _changed(subscription: WebhookSubscription) -> None:
    transaction.on_commit(listening.forget)
    listening.forget()


@transaction.atomic
def subscription_create(
    *, by: User, url: str, events: list[str], description: str = ""
) -> WebhookSubscription:
    """Subscribe an address to events; it gets a fresh `whsec_` secret, and `by` owns it."""
    _check_admin(by)
    subscription = WebhookSubscription.objects.create(
        **_clean(url=url, events=events, description=description),
        secret=secret_new(),
        created_by=by,
    )
    _changed(subscription)
    return subscription


@transaction.atomic
def subscription_update(
    *,
    subscription: WebhookSubscription,
    by: User,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookSubscription:
    """Change the address, events or description, or enable or disable it.

    Enabling one that was disabled (by hand or after failures) starts its count of
    failures from zero; disabling it leaves its pending deliveries to fail. The address
    is checked again when it changes (each attempt checks it anyway), so a name that
    does not resolve today never keeps an admin from disabling its subscription.
    """
    _check_admin(by)
    cleaned = _clean(
        check_url=url is not None and url.strip() != subscription.url,
        url=subscription.url if url is None else url,
        events=subscription.events if events is None else events,
        description=(subscription.description if description is None else description),
    )
    for field, value in cleaned.items():
        setattr(subscription, field, value)
    if is_active is not None and is_active != subscription.is_active:
        if is_active:
            subscription_enable(subscription)
        else:
            subscription_disable(subscription, reason=DisabledReason.BY_ADMIN)
    subscription.save()
    _changed(subscription)
    return subscription


def subscription_enable(subscription: WebhookSubscription) -> None:
    subscription.is_active = True
    subscription.consecutive_failures = 0
    subscription.disabled_at = None
    subscription.disabled_reason = DisabledReason.NONE


def subscription_disable(subscription: WebhookSubscription, *, reason: str) -> int:
    """Disable (unsaved fields) and fail its pending deliveries; returns how many."""
    now = timezone.now()
    subscription.is_active = False
    subscription.disabled_at = now
    subscription.disabled_reason = reason
    return WebhookDelivery.objects.filter(
        subscription=subscription, status=DeliveryStatus.PENDING
    ).update(
        status=DeliveryStatus.FAILED,
        next_attempt_at=None,
        claimed_until=None,
        finished_at=now,
        last_error=_("The subscription was disabled."),
    )


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription, by: User) -> None:
    """Remove a subscription with its delivery log (events others received stay)."""
    _check_admin(by)
    subscription.delete()
    _changed(subscription)


def secrets_in_force(
    subscription: WebhookSubscription, *, now: dt.datetime | None = None
) -> list[str]:
    """The secrets that sign a message now: the current one, and the replaced one
    during its grace period."""
    now = now or timezone.now()
    found = [subscription.secret]
    expires = subscription.previous_secret_expires_at
    if subscription.previous_secret and expires and expires > now:
        found.append(subscription.previous_secret)
    return found


@transaction.atomic
def secret_rotate(
    *, subscription: WebhookSubscription, by: User, now: dt.datetime | None = None
) -> WebhookSubscription:
    """Give a subscription a new secret; the old one signs too for the grace period.

    Rotating again within the grace period drops the oldest secret at once.
    """
    _check_admin(by)
    now = now or timezone.now()
    subscription = WebhookSubscription.objects.select_for_update().get(
        pk=subscription.pk
    )
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_expires_at = now + dt.timedelta(
        hours=settings.WEBHOOK_SECRET_GRACE_HOURS
    )
    subscription.secret = secret_new()
    subscription.save(
        update_fields=[
            "secret",
            "previous_secret",
            "previous_secret_expires_at",
            "updated_at",
        ]
    )
    return subscription


@transaction.atomic
def subscription_ping(
    *, subscription: WebhookSubscription, by: User
) -> WebhookDelivery:
    """Queue a `webhook.test` message to the subscription (whatever its events)."""
    from core.queueing import enqueue_on_commit
    from integrations.webhooks.tasks import webhook_deliver_task

    _check_admin(by)
    if not subscription.is_active:
        raise ValidationError(_("Enable the subscription before sending a test."))
    now = timezone.now()
    event = WebhookEvent.objects.create(
        message_id=listening.message_id_new(),
        event=TEST_EVENT,
        ids={},
        occurred_at=now,
        fanned_out_at=now,
    )
    event.payload = payload(
        event=TEST_EVENT,
        data={
            "subscription_id": subscription.pk,
            "message": "Salesteam test message: your receiver is reachable.",
        },
        occurred_at=now,
    )
    event.save(update_fields=["payload"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event=event, requested_by=by, next_attempt_at=now
    )
    enqueue_on_commit(webhook_deliver_task, delivery.pk)
    return delivery
