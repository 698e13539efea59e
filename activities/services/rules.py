"""Rules every entry (activity, deal, contact) is held to: who, how many, when."""

import datetime as dt
import itertools
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import may_manage
from activities.models import (
    MAX_QUANTITY,
    Contact,
)
from activities.periods import period_bounds

UNSET = object()  # "leave this field as it is" in the *_update functions


def check_actor(*, by: User | None, rep: User) -> None:
    if by is not None and not may_manage(by, rep):
        raise PermissionDenied(
            _("You may change only your own or your team's entries.")
        )


def is_correction(*, by: User | None, rep: User) -> bool:
    """A manager or admin changing someone else's entries is correcting them."""
    return by is not None and by.pk != rep.pk


def quantity_errors(quantity) -> list[str]:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return [_("Enter a whole number.")]
    if not 1 <= quantity <= MAX_QUANTITY:
        return [
            _("The quantity must be between 1 and %(max)d.") % {"max": MAX_QUANTITY}
        ]
    return []


def when_errors(
    *, rep: User, at: dt.datetime, now: dt.datetime, correction: bool
) -> list[str]:
    """No future entries; reps may back-date up to ACTIVITY_BACKDATE_DAYS local days."""
    if timezone.is_naive(at):
        return [_("Give a time with a time zone.")]
    if at > now:
        return [_("This time is in the future; log only what has already happened.")]
    try:
        local_date = rep.local_date(at)
    except OverflowError:
        return [_("Give a time in the last few years.")]
    days = settings.ACTIVITY_BACKDATE_DAYS
    earliest = rep.local_date(now) - dt.timedelta(days=days)
    if not correction and local_date < earliest:
        return [
            _("You can log up to %(days)d days back (%(earliest)s at the earliest).")
            % {"days": days, "earliest": date_format(earliest)}
        ]
    return []


# No zone is more than 14 hours ahead of UTC or 12 behind it: a zone the rep left longer
# ago than this cannot have shown a later date than the zone they have now.
ZONE_SPREAD = dt.timedelta(hours=26)


def furthest_local_date(*, rep: User, now: dt.datetime) -> dt.date:
    """The latest local date the rep has reached by `now`, in any zone they have had.

    Moving west turns a rep's calendar back; the date already reached in the zone they
    left still counts, so a period that has closed stays closed. Read from the rep's
    history (one query): each version's zone held until the next version, or until now.
    """
    reached = rep.local_date(now)
    since = now - ZONE_SPREAD
    versions = rep.history.filter(history_date__lte=now)
    in_force_since = (
        versions.filter(history_date__lte=since)
        .order_by("-history_date")
        .values("history_id")[:1]
    )
    held = list(
        versions.filter(
            Q(history_date__gt=since) | Q(history_id=Subquery(in_force_since))
        )
        .order_by("history_date")
        .values_list("history_date", "timezone")
    )
    for (_from, zone), (left_at, _next) in itertools.pairwise([*held, (now, None)]):
        reached = max(reached, left_at.astimezone(zoneinfo.ZoneInfo(zone)).date())
    return reached


def edit_window_start(*, rep: User, now: dt.datetime | None = None) -> dt.date:
    """The first local date a rep may still edit: the start of the open period.

    An entry's period comes from its stored `local_date`; the open period is the one
    holding the furthest date the rep has reached, so a new zone cannot reopen a week.
    """
    today = furthest_local_date(rep=rep, now=now or timezone.now())
    return period_bounds(period=settings.ACTIVITY_EDIT_WINDOW, on=today)[0]


def editable_from(*, by: User | None, rep: User, now: dt.datetime) -> dt.date | None:
    """The first local date `by` may change among `rep`'s entries; None for any date.

    Managers correcting their reps and the system are not held to the window.
    """
    if by is None or is_correction(by=by, rep=rep):
        return None
    return edit_window_start(rep=rep, now=now)


def may_edit_entry(
    *, by: User, rep: User, local_date: dt.date, now: dt.datetime | None = None
) -> bool:
    """May `by` still edit or delete an entry of `rep` dated `local_date`?"""
    if not may_manage(by, rep):
        return False
    start = editable_from(by=by, rep=rep, now=now or timezone.now())
    return start is None or local_date >= start


def check_edit_window(*, local_date: dt.date, start: dt.date | None) -> None:
    """Refuse a change to (or into) a day before `start`, from `editable_from`."""
    if start is not None and local_date < start:
        raise ValidationError(
            _(
                "This entry belongs to a closed period (before %(start)s); "
                "ask your manager to correct it."
            )
            % {"start": date_format(start)},
            code="closed_period",
        )


def contact_errors(*, contact: Contact | None, rep: User) -> list[str]:
    if contact is not None and contact.owner_id != rep.pk:
        return [_("Choose one of the rep's own contacts.")]
    return []


def raise_errors(errors: dict[str, list[str]]) -> None:
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def audit(instance, by: User | None) -> None:
    if by is not None:
        instance._history_user = by
