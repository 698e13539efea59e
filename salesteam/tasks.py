"""Operational tasks."""

import socket

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from activities.idempotency import idempotency_keys_sweep
from salesteam.models import WorkerHeartbeat


@shared_task(name="salesteam.worker_heartbeat")
def worker_heartbeat(hostname: str = "") -> None:
    """Record that a worker is alive; /healthz reports the latest beat."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname or socket.gethostname(), defaults={"seen_at": timezone.now()}
    )


@shared_task(name="salesteam.sweep_idempotency_keys")
def sweep_idempotency_keys() -> int:
    """Delete Idempotency-Keys past their time to live (24 hours by default)."""
    return idempotency_keys_sweep()


@worker_ready.connect
def heartbeat_when_worker_starts(sender=None, **kwargs) -> None:
    """/healthz shows a fresh worker as up at once, not after the first scheduled beat."""
    hostname = getattr(sender, "hostname", "") or socket.gethostname()
    worker_heartbeat.run(hostname)
