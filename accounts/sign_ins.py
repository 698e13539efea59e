"""A sign-in's `last_login`, recorded without a history row.

The history leaves `last_login` out (`User.history`), so Django's own receiver, which
saves that field alone, would add an empty "changed" entry to the audit log at every
sign-in, through the login page and the API alike (both send `user_logged_in`).
"""

from django.contrib.auth.signals import user_logged_in
from django.utils import timezone

DJANGOS_RECEIVER = "update_last_login"  # the dispatch_uid django.contrib.auth uses


def last_login_update(sender, user, **kwargs) -> None:
    user.last_login = timezone.now()
    user.save_without_historical_record(update_fields=["last_login"])


def last_login_receiver_replace() -> None:
    """In place of Django's receiver (connected by django.contrib.auth, listed first)."""
    user_logged_in.disconnect(dispatch_uid=DJANGOS_RECEIVER)
    user_logged_in.connect(last_login_update, dispatch_uid=DJANGOS_RECEIVER)
