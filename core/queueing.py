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
    return _send(task, args, kwargs, {})


def _send(task: Task, args: tuple, kwargs: dict, options: dict) -> bool:
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        logger.info("Broker down: %s left to the periodic sweep", task.name)
        return False
    try:
        task.apply_async(args=args, kwargs=kwargs, **options)
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


# Per process: key -> time.monotonic() until which a batched task is already queued.
_batched: dict[object, float] = {}
BATCH_MARGIN = 1.0  # seconds: the task runs this long after its window closes
_BATCHED_PRUNE_AT = 10_000


def enqueue_batched_on_commit(
    task: Task, *args, key: object, window: float, **kwargs
) -> None:
    """Queue `task` at most once per `key` and `window` seconds, to run when it closes.

    For a check that only needs to follow the writes, not each one: the first write of a
    window queues the task (after commit) with a countdown of the window, so it runs
    after every write that the window then lets through without queueing. Per process:
    with N processes a key gets at most N tasks per window. A task that could not be
    queued clears its key, so the next write tries again (and a periodic sweep remains
    the retry). A `window` of 0 queues one task per call.
    """
    if window <= 0:
        enqueue_on_commit(task, *args, **kwargs)
        return
    now = time.monotonic()
    if _batched.get(key, 0.0) > now:
        return
    if len(_batched) > _BATCHED_PRUNE_AT:
        for stale in [k for k, until in _batched.items() if until <= now]:
            del _batched[stale]
    _batched[key] = now + window

    def send() -> None:
        options = {"countdown": window + BATCH_MARGIN}
        if not _send(task, args, kwargs, options):
            _batched.pop(key, None)

    transaction.on_commit(send)


def batches_clear() -> None:
    """Forget which batches are queued (tests call it between tests)."""
    _batched.clear()
