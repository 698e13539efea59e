"""Operational tasks."""

import socket

from celery import shared_task
from django.utils import timezone

from salesteam.models import WorkerHeartbeat


@shared_task(name="salesteam.worker_heartbeat")
def worker_heartbeat(hostname: str = "") -> None:
    """Record that a worker is alive; /healthz reports the latest beat."""
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname or socket.gethostname(), defaults={"seen_at": timezone.now()}
    )
