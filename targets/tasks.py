"""Celery tasks for targets: thin, idempotent wrappers around its services."""

from celery import shared_task

from targets.services import dip_flags_refresh


@shared_task(name="targets.dip_flags_refresh")
def dip_flags_refresh_task(rep_id: int) -> int:
    """A rep logged activity: an activity dip they climbed out of is resolved."""
    return dip_flags_refresh(rep_id=rep_id)
