"""Every write about what reps did: activities, deals and contacts.

The Today page, the API and any importer call these functions; each one validates, writes
the row and keeps the day tally in step inside one transaction, and is audited by
django-simple-history (`by` becomes the history user).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import may_manage
from activities import signals
from activities.models import (
    MAX_QUANTITY,
    Activity,
    CallOutcome,
    Contact,
    Deal,
    Metric,
    MetricKind,
    Source,
)
from activities.periods import period_bounds
from activities.seeds import DEAL_METRICS
from activities.tallies import tally_add

UNSET = object()  # "leave this field as it is" in the *_update functions
MAX_DEAL_AMOUNT = Decimal("9999999999.99")


# --- Rules shared by every entry ------------------------------------------------------


def _check_actor(*, by: User | None, rep: User) -> None:
    if by is not None and not may_manage(by, rep):
        raise PermissionDenied(
            _("You may change only your own or your team's entries.")
        )


def _is_correction(*, by: User | None, rep: User) -> bool:
    """A manager or admin changing someone else's entries is correcting them."""
    return by is not None and by.pk != rep.pk


def _quantity_errors(quantity) -> list[str]:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        return [_("Enter a whole number.")]
    if not 1 <= quantity <= MAX_QUANTITY:
        return [
            _("The quantity must be between 1 and %(max)d.") % {"max": MAX_QUANTITY}
        ]
    return []


def _when_errors(
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
    if _is_correction(by=by, rep=rep):
        return True
    return local_date >= edit_window_start(rep=rep, now=now)


def _check_edit_window(
    *, by: User | None, rep: User, local_date: dt.date, now: dt.datetime
) -> None:
    if by is None or _is_correction(by=by, rep=rep):
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


def _contact_errors(*, contact: Contact | None, rep: User) -> list[str]:
    if contact is not None and contact.owner_id != rep.pk:
        return [_("Choose one of the rep's own contacts.")]
    return []


def _raise(errors: dict[str, list[str]]) -> None:
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def _audit(instance, by: User | None) -> None:
    if by is not None:
        instance._history_user = by


# --- Activities -----------------------------------------------------------------------


def metric_for_logging(metric: Metric | str) -> Metric:
    """The metric an activity is logged against, by instance or slug."""
    if isinstance(metric, Metric):
        found = metric
    else:
        found = Metric.objects.filter(slug=metric).first()
        if found is None:
            raise ValidationError(
                {"metric": [_('There is no metric "%(slug)s".') % {"slug": metric}]}
            )
    if not found.is_active:
        raise ValidationError(
            {
                "metric": [
                    _("%(metric)s is retired and can no longer be logged.")
                    % {"metric": found.label}
                ]
            }
        )
    if found.kind != MetricKind.ACTIVITY:
        raise ValidationError(
            {
                "metric": [
                    _("%(metric)s is a result; log a deal instead.")
                    % {"metric": found.label}
                ]
            }
        )
    return found


def _outcome_errors(*, metric: Metric, outcome: str) -> list[str]:
    if not outcome:
        return []
    if outcome not in CallOutcome.values:
        return [_("Choose connected, voicemail or no answer.")]
    if metric.slug != "calls":
        return [_("Only calls have an outcome.")]
    return []


@transaction.atomic
def activity_log(
    *,
    rep: User,
    metric: Metric | str,
    quantity: int = 1,
    occurred_at: dt.datetime | None = None,
    contact: Contact | None = None,
    outcome: str = "",
    note: str = "",
    source: str = Source.WEB,
    by: User | None = None,
    now: dt.datetime | None = None,
) -> Activity:
    """Log an activity for a rep and add it to the rep's day tally.

    `occurred_at` defaults to now; its date in the rep's zone is stored as `local_date`.
    `by` is who is logging (the rep, or their manager correcting); None means the system.
    """
    now = now or timezone.now()
    occurred_at = occurred_at or now
    _check_actor(by=by, rep=rep)
    metric = metric_for_logging(metric)
    correction = _is_correction(by=by, rep=rep)
    _raise(
        {
            "quantity": _quantity_errors(quantity),
            "occurred_at": _when_errors(
                rep=rep, at=occurred_at, now=now, correction=correction
            ),
            "contact": _contact_errors(contact=contact, rep=rep),
            "outcome": _outcome_errors(metric=metric, outcome=outcome),
        }
    )
    activity = Activity(
        rep=rep,
        metric=metric,
        quantity=quantity,
        occurred_at=occurred_at,
        local_date=rep.local_date(occurred_at),
        contact=contact,
        outcome=outcome,
        note=note,
        source=source,
        created_by=by,
    )
    _audit(activity, by)
    activity.save()
    tally_add(
        rep_id=rep.pk,
        metric_id=metric.pk,
        local_date=activity.local_date,
        quantity=quantity,
    )
    signals.activity_logged.send(sender=Activity, activity=activity)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by: User | None = None,
    now: dt.datetime | None = None,
    metric=UNSET,
    quantity=UNSET,
    occurred_at=UNSET,
    contact=UNSET,
    outcome=UNSET,
    note=UNSET,
) -> Activity:
    """Change an entry (only the fields given) and move its count between day tallies."""
    now = now or timezone.now()
    activity = (
        Activity.objects.select_for_update()
        .select_related("rep", "metric")
        .get(pk=activity.pk)
    )
    rep = activity.rep
    _check_actor(by=by, rep=rep)
    _check_edit_window(by=by, rep=rep, local_date=activity.local_date, now=now)
    before = (activity.metric_id, activity.local_date, activity.quantity)

    new_metric = activity.metric if metric is UNSET else metric_for_logging(metric)
    new_quantity = activity.quantity if quantity is UNSET else quantity
    new_occurred_at = activity.occurred_at if occurred_at is UNSET else occurred_at
    new_contact = activity.contact if contact is UNSET else contact
    new_outcome = activity.outcome if outcome is UNSET else outcome
    errors = {
        "quantity": _quantity_errors(new_quantity),
        "contact": _contact_errors(contact=new_contact, rep=rep),
        "outcome": _outcome_errors(metric=new_metric, outcome=new_outcome),
    }
    if occurred_at is not UNSET:
        errors["occurred_at"] = _when_errors(
            rep=rep,
            at=new_occurred_at,
            now=now,
            correction=_is_correction(by=by, rep=rep),
        )
    _raise(errors)
    new_local_date = (
        activity.local_date if occurred_at is UNSET else rep.local_date(new_occurred_at)
    )
    _check_edit_window(by=by, rep=rep, local_date=new_local_date, now=now)

    activity.metric = new_metric
    activity.quantity = new_quantity
    activity.occurred_at = new_occurred_at
    activity.local_date = new_local_date
    activity.contact = new_contact
    activity.outcome = new_outcome
    if note is not UNSET:
        activity.note = note
    _audit(activity, by)
    activity.save()
    tally_add(
        rep_id=rep.pk, metric_id=before[0], local_date=before[1], quantity=-before[2]
    )
    tally_add(
        rep_id=rep.pk,
        metric_id=activity.metric_id,
        local_date=activity.local_date,
        quantity=activity.quantity,
    )
    return activity


@transaction.atomic
def activity_delete(
    *, activity: Activity, by: User | None = None, now: dt.datetime | None = None
) -> None:
    """Delete an entry (undo) and take it off its day tally."""
    now = now or timezone.now()
    activity = (
        Activity.objects.select_for_update().select_related("rep").get(pk=activity.pk)
    )
    _check_actor(by=by, rep=activity.rep)
    _check_edit_window(by=by, rep=activity.rep, local_date=activity.local_date, now=now)
    tally_add(
        rep_id=activity.rep_id,
        metric_id=activity.metric_id,
        local_date=activity.local_date,
        quantity=-activity.quantity,
    )
    _audit(activity, by)
    activity.delete()


# --- Deals ----------------------------------------------------------------------------


def _amount_errors(amount) -> list[str]:
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        return [_("Enter an amount such as 1250.00.")]
    if not amount.is_finite() or amount <= 0:
        return [
            _("The amount must be more than zero (in %(currency)s).")
            % {"currency": settings.COMPANY_CURRENCY}
        ]
    if amount > MAX_DEAL_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        return [_("Enter an amount with at most two decimal places, below 10 billion.")]
    return []


def _deal_tally(deal: Deal, sign: int) -> None:
    for metric_id in Metric.objects.filter(slug__in=DEAL_METRICS).values_list(
        "id", flat=True
    ):
        tally_add(
            rep_id=deal.rep_id,
            metric_id=metric_id,
            local_date=deal.local_date,
            quantity=sign,
            amount=sign * deal.amount,
        )


@transaction.atomic
def deal_log(
    *,
    rep: User,
    title: str,
    amount: Decimal,
    closed_at: dt.datetime | None = None,
    contact: Contact | None = None,
    note: str = "",
    source: str = Source.WEB,
    by: User | None = None,
    now: dt.datetime | None = None,
) -> Deal:
    """Record won business; it counts towards the `deals` and `revenue` tallies."""
    now = now or timezone.now()
    closed_at = closed_at or now
    _check_actor(by=by, rep=rep)
    _raise(
        {
            "title": [] if title.strip() else [_("Give the deal a title.")],
            "amount": _amount_errors(amount),
            "closed_at": _when_errors(
                rep=rep,
                at=closed_at,
                now=now,
                correction=_is_correction(by=by, rep=rep),
            ),
            "contact": _contact_errors(contact=contact, rep=rep),
        }
    )
    deal = Deal(
        rep=rep,
        title=title.strip(),
        amount=Decimal(str(amount)),
        closed_at=closed_at,
        local_date=rep.local_date(closed_at),
        contact=contact,
        note=note,
        source=source,
        created_by=by,
    )
    _audit(deal, by)
    deal.save()
    _deal_tally(deal, +1)
    return deal


@transaction.atomic
def deal_update(
    *,
    deal: Deal,
    by: User | None = None,
    now: dt.datetime | None = None,
    title=UNSET,
    amount=UNSET,
    closed_at=UNSET,
    contact=UNSET,
    note=UNSET,
) -> Deal:
    """Change a deal (only the fields given) and move it between day tallies."""
    now = now or timezone.now()
    deal = Deal.objects.select_for_update().select_related("rep").get(pk=deal.pk)
    rep = deal.rep
    _check_actor(by=by, rep=rep)
    _check_edit_window(by=by, rep=rep, local_date=deal.local_date, now=now)
    errors = {
        "title": []
        if title is UNSET or title.strip()
        else [_("Give the deal a title.")],
        "amount": [] if amount is UNSET else _amount_errors(amount),
        "contact": []
        if contact is UNSET
        else _contact_errors(contact=contact, rep=rep),
        "closed_at": []
        if closed_at is UNSET
        else _when_errors(
            rep=rep, at=closed_at, now=now, correction=_is_correction(by=by, rep=rep)
        ),
    }
    _raise(errors)
    if closed_at is not UNSET:
        _check_edit_window(
            by=by, rep=rep, local_date=rep.local_date(closed_at), now=now
        )
    _deal_tally(deal, -1)
    if title is not UNSET:
        deal.title = title.strip()
    if amount is not UNSET:
        deal.amount = Decimal(str(amount))
    if closed_at is not UNSET:
        deal.closed_at = closed_at
        deal.local_date = rep.local_date(closed_at)
    if contact is not UNSET:
        deal.contact = contact
    if note is not UNSET:
        deal.note = note
    _audit(deal, by)
    deal.save()
    _deal_tally(deal, +1)
    return deal


@transaction.atomic
def deal_delete(
    *, deal: Deal, by: User | None = None, now: dt.datetime | None = None
) -> None:
    now = now or timezone.now()
    deal = Deal.objects.select_for_update().select_related("rep").get(pk=deal.pk)
    _check_actor(by=by, rep=deal.rep)
    _check_edit_window(by=by, rep=deal.rep, local_date=deal.local_date, now=now)
    _deal_tally(deal, -1)
    _audit(deal, by)
    deal.delete()


# --- Contacts -------------------------------------------------------------------------

CONTACT_FIELDS = ("name", "company", "email", "phone", "notes")


@transaction.atomic
def contact_create(
    *,
    owner: User,
    name: str,
    company: str = "",
    email: str = "",
    phone: str = "",
    notes: str = "",
    by: User | None = None,
) -> Contact:
    _check_actor(by=by, rep=owner)
    contact = Contact(
        owner=owner, name=name, company=company, email=email, phone=phone, notes=notes
    )
    contact.full_clean()
    _audit(contact, by)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, by: User | None = None, **fields) -> Contact:
    """Change a contact's details (any of name, company, email, phone, notes)."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    _check_actor(by=by, rep=contact.owner)
    for field, value in fields.items():
        setattr(contact, field, value)
    contact.full_clean()
    _audit(contact, by)
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, by: User | None = None) -> None:
    """Delete a contact; activities and deals that pointed to it keep their history."""
    _check_actor(by=by, rep=contact.owner)
    _audit(contact, by)
    contact.delete()


# --- Metrics --------------------------------------------------------------------------


def _check_admin(by: User | None) -> None:
    if by is not None and not by.is_admin:
        raise PermissionDenied(_("Only admins may change metrics."))


@transaction.atomic
def metric_create(
    *, slug: str, name: str, sort_order: int = 100, by: User | None = None
) -> Metric:
    """Add a custom activity metric (e.g. "demos"); it is counted, like calls."""
    _check_admin(by)
    metric = Metric(
        slug=slug, name=name, kind=MetricKind.ACTIVITY, sort_order=sort_order
    )
    metric.full_clean()
    metric.save()
    return metric


@transaction.atomic
def metric_update(*, metric: Metric, by: User | None = None, **fields) -> Metric:
    """Rename, reorder, retire (`is_active=False`) or revive a metric; history stays."""
    _check_admin(by)
    unknown = set(fields) - {"name", "sort_order", "is_active"}
    if unknown:
        raise TypeError(f"Unknown metric fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(metric, field, value)
    metric.full_clean()
    metric.save()
    return metric
