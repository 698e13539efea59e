"""The subscriber to `core.events`: cheap when no one listens, durable when someone does.

Each process keeps the set of event types that some enabled subscription lists, for
`WEBHOOK_LISTENERS_TTL_SECONDS` (30 s by default). An event no one listens to costs no
query at all, so the write path stays fast. A change to a subscription refreshes the set
at once in the process that made it; other processes see it within the TTL, so a new
subscription may miss events published elsewhere during its first seconds.

An event someone listens to is written as a `WebhookEvent` (one INSERT, after the
publishing transaction committed) and its fan-out is queued; the periodic sweep fans out
any event whose task a broker outage kept back, so nothing is lost.
"""

import math
import time
import uuid

from django.conf import settings
from django.utils import timezone

_listened: frozenset[str] | None = None
_fresh_until = 0.0  # time.monotonic() after which the set is read again


def listened_events() -> frozenset[str]:
    """The event types some enabled subscription lists (cached per process)."""
    global _listened, _fresh_until
    if _listened is None or time.monotonic() >= _fresh_until:
        from integrations.models import WebhookSubscription

        events: set[str] = set()
        for listed in WebhookSubscription.objects.filter(is_active=True).values_list(
            "events", flat=True
        ):
            events.update(listed)
        _listened = frozenset(events)
        _fresh_until = time.monotonic() + settings.WEBHOOK_LISTENERS_TTL_SECONDS
    return _listened


def forget() -> None:
    """Read the subscriptions again at the next event (after a change to them)."""
    global _listened
    _listened = None


def assume_none() -> None:
    """Take it that no one listens until `forget` (tests of other apps count queries)."""
    global _listened, _fresh_until
    _listened, _fresh_until = frozenset(), math.inf


def message_id_new() -> str:
    return f"msg_{uuid.uuid4().hex}"


def on_event(event: str, ids: dict) -> None:
    """`core.events` subscriber: record an event someone listens to, queue its fan-out."""
    if event not in listened_events():
        return
    from core.queueing import enqueue
    from integrations.models import WebhookEvent
    from integrations.webhooks.tasks import webhook_fan_out_task

    recorded = WebhookEvent.objects.create(
        message_id=message_id_new(), event=event, ids=ids, occurred_at=timezone.now()
    )
    enqueue(webhook_fan_out_task, recorded.pk)
