"""Rules every entry (activity, deal, contact) is held to: who, how many, when."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
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


def edit_window_start(*, rep: User, now: dt.datetime | None = None) -> dt.date:
    """The first local date a rep may still edit: the start of the open period."""
    today = rep.local_date(now)
    return period_bounds(period=settings.ACTIVITY_EDIT_WINDOW, on=today)[0]


def may_edit_entry(
    *, by: User, rep: User, local_date: dt.date, now: dt.datetime | None = None
) -> bool:
    """May `by` still edit or delete an entry of `rep` dated `local_date`?"""
    if not may_manage(by, rep):
        return False
    if is_correction(by=by, rep=rep):
        return True
    return local_date >= edit_window_start(rep=rep, now=now)


def check_edit_window(
    *, by: User | None, rep: User, local_date: dt.date, now: dt.datetime
) -> None:
    if by is None or is_correction(by=by, rep=rep):
        return
    start = edit_window_start(rep=rep, now=now)
    if local_date < start:
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
