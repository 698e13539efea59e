"""Celery tasks for targets: thin, idempotent wrappers around its services."""

import datetime as dt

from celery import shared_task

from accounts.models import ImportJob
from targets import history_import, services


@shared_task(name="targets.dip_flags_refresh")
def dip_flags_refresh_task(rep_id: int, at: str | None = None) -> int:
    """A rep logged activity: an activity dip they climbed out of is resolved.

    `at` (ISO 8601) is when the batch of logs began: the check is for that day.
    """
    now = dt.datetime.fromisoformat(at) if at else None
    return services.dip_flags_refresh(rep_id=rep_id, now=now)


@shared_task(name="targets.dip_flags_sweep")
def dip_flags_sweep() -> int:
    """Hourly: the check above for every rep with an open dip (a lost queueing's retry)."""
    return services.dip_flags_sweep()


@shared_task(name="targets.history_import_run")
def history_import_run_task(job_id: int) -> None:
    """Run a queued history import (idempotent: a finished job is left as it is)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        history_import.history_import_run(job=job)
