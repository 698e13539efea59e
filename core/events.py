"""Domain events: a lower layer says what happened, a higher one (integrations) listens.

`publish` hands each subscriber the event after the transaction commits, with ids only, so
a subscriber reads committed rows and a rolled-back write announces nothing. With no
subscriber it costs nothing, which keeps the write path fast. `publish_many` announces
many events of one kind with one on-commit callback (the review publishes hundreds a
chunk); Django drops that callback, like any, with a rolled-back savepoint around it.
"""

import logging
from collections.abc import Callable, Iterable
from functools import partial

from django.db import transaction

logger = logging.getLogger(__name__)

# The event names, and the ids each one carries.
EVENTS = {
    "activity.logged": ("activity_id",),
    "deal.won": ("deal_id",),
    "target.agreed": ("rep_id", "target_ids"),
    "flag.raised": ("flag_id",),
    "flag.resolved": ("flag_id",),
    "plan.opened": ("plan_id",),
    "plan.closed": ("plan_id",),
    "kudos.given": ("kudos_id",),
    "meeting.scheduled": ("meeting_id",),
    "meeting.rescheduled": ("meeting_id",),
    "meeting.cancelled": ("meeting_id",),
    "person.onboarded": ("user_id",),
}

Subscriber = Callable[[str, dict], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Call `subscriber(event, ids)` after the commit of every published event (once)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def publish(event: str, **ids) -> None:
    """Announce `event` once the current transaction commits (at once outside one)."""
    _check(event, ids)
    if _subscribers:
        transaction.on_commit(partial(_deliver, event, ids), robust=True)


def publish_many(event: str, many_ids: Iterable[dict]) -> None:
    """Announce `event` once per ids in `many_ids`, in order, after the commit."""
    many_ids = list(many_ids)
    for ids in many_ids:
        _check(event, ids)
    if _subscribers and many_ids:
        transaction.on_commit(partial(_deliver_each, event, many_ids), robust=True)


def _check(event: str, ids: dict) -> None:
    if set(ids) != set(EVENTS[event]):
        raise ValueError(f"{event} carries {EVENTS[event]}, not {tuple(ids)}")


def _deliver_each(event: str, many_ids: list[dict]) -> None:
    for ids in many_ids:
        _deliver(event, ids)


def _deliver(event: str, ids: dict) -> None:
    for subscriber in list(_subscribers):
        try:
            subscriber(event, ids)
        except Exception:  # one broken listener must not stop the others
            logger.exception("Subscriber %r failed on %s", subscriber, event)
