"""Sending webhooks: fan-out, each attempt, retries with backoff, auto-disable, replay.

Each delivery is claimed before it is sent (a conditional UPDATE), so two workers, or a
task and the sweep, never send the same attempt twice; the HTTP call runs outside any
transaction. A failed attempt is retried after `backoff_seconds` by the periodic sweep;
`WEBHOOK_DISABLE_AFTER_FAILURES` failed attempts in a row, whatever the messages,
disable the subscription and tell its owner.
"""

import datetime as dt
import json
import random

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, Role, User
from accounts.notifications import notify_many
from integrations.models import (
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from integrations.webhooks import sending
from integrations.webhooks.addresses import target_check
from integrations.webhooks.payloads import payload, payload_data
from integrations.webhooks.signing import signed_headers
from integrations.webhooks.subscriptions import secrets_in_force, subscription_disable

CLAIM_SECONDS = 60  # longer than a connect plus a read timeout
JITTER = 0.2
SWEEP_BATCH = 500


def backoff_seconds(attempts: int, *, rng: random.Random | None = None) -> float:
    """Seconds before the next try after `attempts` failed ones: exponential, jittered.

    `WEBHOOK_RETRY_BASE_SECONDS` × 4^(attempts − 1), capped at
    `WEBHOOK_RETRY_MAX_SECONDS`, then ± 20 % at random so that receivers coming back
    are not hit by every retry at once. With the defaults (10 s, 12 h, 9 attempts) the
    last try comes about 27 hours after the first.
    """
    base = settings.WEBHOOK_RETRY_BASE_SECONDS * 4 ** max(attempts - 1, 0)
    delay = min(base, settings.WEBHOOK_RETRY_MAX_SECONDS)
    return delay * (rng or random).uniform(1 - JITTER, 1 + JITTER)


def body_of(event: WebhookEvent) -> str:
    return json.dumps(
        event.payload, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False
    )


# --- Fan-out --------------------------------------------------------------------------


@transaction.atomic
def event_fan_out(*, event_id: int) -> list[int]:
    """Write the event's payload and one delivery per enabled subscription listening.

    Idempotent: an event already fanned out gives nothing. An event whose rows are gone
    by now (an activity undone at once) is sent to no one. Returns the new deliveries.
    """
    event = (
        WebhookEvent.objects.select_for_update(skip_locked=True)
        .filter(pk=event_id, fanned_out_at=None)
        .first()
    )
    if event is None:
        return []
    now = timezone.now()
    event.fanned_out_at = now
    listeners = [
        subscription.pk
        for subscription in WebhookSubscription.objects.filter(is_active=True).only(
            "pk", "events"
        )
        if event.event in subscription.events
    ]
    data = payload_data(event.event, event.ids) if listeners else None
    if data is None:
        event.save(update_fields=["fanned_out_at"])
        return []
    event.payload = payload(event=event.event, data=data, occurred_at=event.occurred_at)
    event.save(update_fields=["fanned_out_at", "payload"])
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(subscription_id=pk, event=event, next_attempt_at=now)
            for pk in listeners
        ]
    )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: deliveries_queue(ids))
    return ids


def deliveries_queue(delivery_ids: list[int]) -> None:
    from core.queueing import enqueue
    from integrations.webhooks.tasks import webhook_deliver_task

    for delivery_id in delivery_ids:
        if not enqueue(webhook_deliver_task, delivery_id):
            return  # the broker is down: the sweep sends the rest


# --- One attempt ----------------------------------------------------------------------


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    return bool(
        WebhookDelivery.objects.filter(
            Q(claimed_until=None) | Q(claimed_until__lt=now),
            pk=delivery_id,
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
        ).update(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS))
    )


def delivery_attempt(
    *, delivery_id: int, now: dt.datetime | None = None
) -> bool | None:
    """Try to send a due delivery once; True on a 2xx, False on a failure.

    None when there was nothing to do (not due, already sent, claimed by another).
    """
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("subscription", "event").get(
        pk=delivery_id
    )
    subscription = delivery.subscription
    if not subscription.is_active:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED,
            claimed_until=None,
            next_attempt_at=None,
            finished_at=now,
            last_error=_("The subscription was disabled."),
        )
        return False
    started = timezone.now()
    try:
        target = target_check(subscription.url)
    except ValidationError as error:
        answer = sending.Answer(
            status_code=None,
            body="",
            error=" ".join(error.message_dict.get("url", []))[:300],
            duration_ms=0,
        )
    else:
        body = body_of(delivery.event)
        answer = sending.post(
            target=target,
            body=body,
            headers=signed_headers(
                secrets_in_force=secrets_in_force(subscription, now=started),
                message_id=delivery.event.message_id,
                at=started,
                body=body,
            ),
        )
    _attempt_record(delivery=delivery, answer=answer, started=started)
    return answer.succeeded


def _answer_error(answer: sending.Answer) -> str:
    if answer.error:
        return answer.error
    if answer.succeeded:
        return ""
    if answer.status_code and 300 <= answer.status_code < 400:
        return _(
            "A redirect (%(code)d) is not followed: subscribe the final address."
        ) % {"code": answer.status_code}
    return _("The receiver answered %(code)d.") % {"code": answer.status_code}


@transaction.atomic
def _attempt_record(
    *, delivery: WebhookDelivery, answer: sending.Answer, started: dt.datetime
) -> None:
    subscription = WebhookSubscription.objects.select_for_update().get(
        pk=delivery.subscription_id
    )
    number = delivery.attempts + 1
    error = _answer_error(answer)
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=number,
        started_at=started,
        duration_ms=answer.duration_ms,
        succeeded=answer.succeeded,
        status_code=answer.status_code,
        error=error,
        response_body=answer.body,
    )
    delivery.attempts = number
    delivery.claimed_until = None
    delivery.last_status_code = answer.status_code
    delivery.last_duration_ms = answer.duration_ms
    delivery.last_error = error
    finished = timezone.now()
    if answer.succeeded:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.next_attempt_at = None
        delivery.finished_at = finished
        subscription.consecutive_failures = 0
    else:
        if number >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            delivery.finished_at = finished
        else:
            delivery.next_attempt_at = finished + dt.timedelta(
                seconds=backoff_seconds(number)
            )
        subscription.consecutive_failures = F("consecutive_failures") + 1
    delivery.save()
    subscription.save(update_fields=["consecutive_failures"])
    if not answer.succeeded:
        subscription.refresh_from_db(fields=["consecutive_failures"])
        limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
        if subscription.is_active and subscription.consecutive_failures >= limit:
            subscription_disable(subscription, reason=DisabledReason.FAILURES)
            subscription.save(
                update_fields=["is_active", "disabled_at", "disabled_reason"]
            )
            _owner_tell_disabled(subscription)
            from integrations.webhooks import listening

            transaction.on_commit(listening.forget)


def _owner_tell_disabled(subscription: WebhookSubscription) -> None:
    """Tell the owner (or, if they left, every active admin) in their own language."""
    owner = User.objects.get(pk=subscription.created_by_id)
    people = (
        [owner]
        if owner.is_active
        else list(
            User.objects.filter(
                Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True
            )
        )
    )
    drafts = []
    for person in people:
        with translation.override(person.language):
            drafts.append(
                Notification(
                    user_id=person.pk,
                    key=f"webhook-disabled:{subscription.pk}:"
                    f"{subscription.disabled_at:%Y%m%d%H%M%S}",
                    kind="webhook.disabled",
                    title=_("Webhook disabled: %(subscription)s")
                    % {"subscription": str(subscription)[:150]},
                    body=_(
                        "%(count)d deliveries in a row failed, so Salesteam stopped "
                        "sending to %(url)s. Fix the receiver, then enable the "
                        "subscription again and replay what it missed."
                    )
                    % {
                        "count": subscription.consecutive_failures,
                        "url": subscription.url[:200],
                    },
                    url=reverse("integrations:webhook", kwargs={"pk": subscription.pk}),
                )
            )
    notify_many(drafts)


# --- Replay and the sweep -------------------------------------------------------------


@transaction.atomic
def delivery_replay(*, delivery: WebhookDelivery, by: User) -> WebhookDelivery:
    """Send a delivery's message again, as a new delivery with the same `webhook-id`."""
    from core.queueing import enqueue_on_commit
    from integrations.webhooks.tasks import webhook_deliver_task

    if not by.is_admin:
        raise PermissionDenied(_("Only admins manage webhooks."))
    if not delivery.subscription.is_active:
        raise ValidationError(
            _("This subscription is disabled; enable it to replay its deliveries.")
        )
    replay = WebhookDelivery.objects.create(
        subscription_id=delivery.subscription_id,
        event_id=delivery.event_id,
        replay_of=delivery,
        requested_by=by,
        next_attempt_at=timezone.now(),
    )
    enqueue_on_commit(webhook_deliver_task, replay.pk)
    return replay


def webhooks_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The retry path: fan out events a broker outage kept back, send due deliveries,
    and drop finished log entries older than `WEBHOOK_LOG_DAYS`."""
    from core.queueing import enqueue
    from integrations.webhooks.tasks import webhook_fan_out_task

    now = now or timezone.now()
    late_events = list(
        WebhookEvent.objects.filter(
            fanned_out_at=None, occurred_at__lte=now - dt.timedelta(seconds=30)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for event_id in late_events:
        if not enqueue(webhook_fan_out_task, event_id):
            break
    due = list(
        WebhookDelivery.objects.filter(
            Q(claimed_until=None) | Q(claimed_until__lt=now),
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    deliveries_queue(due)
    old = now - dt.timedelta(days=settings.WEBHOOK_LOG_DAYS)
    dropped, _counts = WebhookDelivery.objects.filter(finished_at__lt=old).delete()
    WebhookEvent.objects.filter(occurred_at__lt=old, deliveries=None).exclude(
        fanned_out_at=None
    ).delete()
    return {"events": len(late_events), "due": len(due), "dropped": dropped}
