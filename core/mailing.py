"""Send a claimed batch of emails over one connection, releasing what did not go."""

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.core.mail import EmailMessage, get_connection

T = TypeVar("T")


def send_claimed(
    items: Sequence[T],
    *,
    messages_for: Callable[[T], list[EmailMessage]],
    release: Callable[[Sequence[T]], None],
) -> int:
    """Send each claimed item's messages in order over one connection; returns how many
    went out. If the mail server cannot be reached or fails midway, the items not yet
    sent are released (for the retry) and the error is raised again."""
    done = sent = 0
    try:
        with get_connection() as connection:
            for item in items:
                sent += connection.send_messages(messages_for(item)) or 0
                done += 1
    except Exception:
        release(items[done:])
        raise
    return sent
