"""Calendar feed tokens: turned on, rotated and revoked by their owner.

The owner's row is locked first, so two requests at once (a double click, a retried
call) cannot both create a live token: the second waits and sees the first one's.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from meetings.models import CalendarFeedToken


def lock_owner(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def feed_token_turn_on(*, user: User) -> tuple[CalendarFeedToken, bool]:
    """The person's live feed token, made if there is none; True when it is new.

    Idempotent: turning on a feed that is on keeps its address.
    """
    lock_owner(user)
    live = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()
    if live is not None:
        return live, False
    return CalendarFeedToken.objects.create(user=user), True


@transaction.atomic
def feed_token_rotate(
    *, user: User, now: dt.datetime | None = None
) -> CalendarFeedToken:
    """Give the person a new feed URL; the old one stops working at once."""
    lock_owner(user)
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    return CalendarFeedToken.objects.create(user=user)


@transaction.atomic
def feed_token_revoke(*, user: User, now: dt.datetime | None = None) -> int:
    """Switch the feed off: its address stops working; return how many were live."""
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
