"""Celery tasks for targets: thin, idempotent wrappers around its services."""

from celery import shared_task

from targets import services


@shared_task(name="targets.dip_flags_refresh")
def dip_flags_refresh_task(rep_id: int) -> int:
    """A rep logged activity: an activity dip they climbed out of is resolved."""
    return services.dip_flags_refresh(rep_id=rep_id)


@shared_task(name="targets.dip_flags_sweep")
def dip_flags_sweep() -> int:
    """Hourly: the check above for every rep with an open dip (a lost queueing's retry)."""
    return services.dip_flags_sweep()
