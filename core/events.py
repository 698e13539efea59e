"""Domain events: a lower layer says what happened, a higher one (integrations) listens.

`publish` hands each subscriber the event after the transaction commits, with ids only, so
a subscriber reads committed rows and a rolled-back write announces nothing. With no
subscriber it costs nothing, which keeps the write path fast.
"""

import logging
from collections.abc import Callable
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
    if set(ids) != set(EVENTS[event]):
        raise ValueError(f"{event} carries {EVENTS[event]}, not {tuple(ids)}")
    if _subscribers:
        transaction.on_commit(partial(_deliver, event, ids), robust=True)


def _deliver(event: str, ids: dict) -> None:
    for subscriber in list(_subscribers):
        try:
            subscriber(event, ids)
        except Exception:  # one broken listener must not stop the others
            logger.exception("Subscriber %r failed on %s", subscriber, event)
