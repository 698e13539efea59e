"""Calendar feed tokens: turned on, rotated and revoked by their owner."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from meetings.models import (
    CalendarFeedToken,
)


@transaction.atomic
def feed_token_rotate(
    *, user: User, now: dt.datetime | None = None
) -> CalendarFeedToken:
    """Give the person a new feed URL; the old one stops working at once."""
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    return CalendarFeedToken.objects.create(user=user)


@transaction.atomic
def feed_token_revoke(*, user: User, now: dt.datetime | None = None) -> int:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
