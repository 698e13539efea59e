"""Celery tasks of the webhooks: thin, idempotent wrappers around their services."""

from celery import shared_task

from integrations.webhooks.deliveries import (
    delivery_attempt,
    event_fan_out,
    webhooks_sweep,
)


@shared_task(name="integrations.webhook_fan_out")
def webhook_fan_out_task(event_id: int) -> int:
    """Write an event's payload and its deliveries, then queue them (once per event)."""
    return len(event_fan_out(event_id=event_id))


@shared_task(name="integrations.webhook_deliver")
def webhook_deliver_task(delivery_id: int) -> bool | None:
    """Try a due delivery once (claimed first, so a second copy of the task does nothing)."""
    return delivery_attempt(delivery_id=delivery_id)


@shared_task(name="integrations.webhooks_sweep")
def webhooks_sweep_task() -> dict:
    """Every 30 seconds: retries that are due, events whose fan-out was lost, old logs."""
    return webhooks_sweep()
