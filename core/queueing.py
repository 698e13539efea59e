"""Queue Celery work from a request without ever making the request wait on the broker."""

import logging

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args, **kwargs) -> bool:
    """Send a task now; on a broker failure log it and return False instead of raising.

    Work queued this way must also be reachable by a periodic sweep, which is the retry.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        logger.exception(
            "Could not queue %s; the periodic sweep will retry it", task.name
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits (immediately outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
