"""Queue Celery work from a request without ever making the request wait on the broker.

A broker that is down costs the first request its connect timeout (about two seconds);
after that failure this process stops trying for `BROKER_DOWN_PAUSE`, so the requests
that follow are not slowed down as well. Nothing is lost by not trying: all work queued
here is also reached by a periodic sweep, which is the retry.
"""

import logging
import time

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

BROKER_DOWN_PAUSE = 30.0  # seconds
BROKER_ERRORS = (OperationalError, ConnectionError, TimeoutError)
_broker_down_until = 0.0  # per process: time.monotonic() of the next attempt


def enqueue(task: Task, *args, **kwargs) -> bool:
    """Send a task now; on a broker failure log it and return False instead of raising.

    Work queued this way must also be reachable by a periodic sweep, which is the retry.
    """
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        logger.info("Broker down: %s left to the periodic sweep", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except BROKER_ERRORS:
        _broker_down_until = time.monotonic() + BROKER_DOWN_PAUSE
        logger.exception(
            "Could not reach the broker for %s; the periodic sweep will retry it "
            "(not trying again for %d s)",
            task.name,
            BROKER_DOWN_PAUSE,
        )
        return False
    except Exception:
        logger.exception(
            "Could not queue %s; the periodic sweep will retry it", task.name
        )
        return False
    return True


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits (immediately outside one)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))
