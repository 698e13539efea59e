"""Logging, editing and deleting won deals; a deal counts on the deal metrics' tallies."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activities.metric_cache import metric_by_slug
from activities.models import (
    Contact,
    Deal,
    Source,
)
from activities.seeds import DEAL_METRICS
from activities.services.rules import (
    UNSET,
    audit,
    check_actor,
    check_edit_window,
    contact_errors,
    editable_from,
    is_correction,
    raise_errors,
    when_errors,
)
from activities.tallies import tally_add
from core.events import publish

MAX_DEAL_AMOUNT = Decimal("9999999999.99")


def deal_amount_errors(amount) -> list[str]:
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
    for slug in DEAL_METRICS:
        metric = metric_by_slug(slug)
        if metric is None:
            continue
        tally_add(
            rep_id=deal.rep_id,
            metric_id=metric.pk,
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
    check_actor(by=by, rep=rep)
    raise_errors(
        {
            "title": [] if title.strip() else [_("Give the deal a title.")],
            "amount": deal_amount_errors(amount),
            "closed_at": when_errors(
                rep=rep,
                at=closed_at,
                now=now,
                correction=is_correction(by=by, rep=rep),
            ),
            "contact": contact_errors(contact=contact, rep=rep),
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
    audit(deal, by)
    deal.save()
    _deal_tally(deal, +1)
    publish("deal.won", deal_id=deal.pk)
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
    check_actor(by=by, rep=rep)
    start = editable_from(by=by, rep=rep, now=now)
    check_edit_window(local_date=deal.local_date, start=start)
    errors = {
        "title": []
        if title is UNSET or title.strip()
        else [_("Give the deal a title.")],
        "amount": [] if amount is UNSET else deal_amount_errors(amount),
        "contact": [] if contact is UNSET else contact_errors(contact=contact, rep=rep),
        "closed_at": []
        if closed_at is UNSET
        else when_errors(
            rep=rep, at=closed_at, now=now, correction=is_correction(by=by, rep=rep)
        ),
    }
    raise_errors(errors)
    if closed_at is not UNSET:
        check_edit_window(local_date=rep.local_date(closed_at), start=start)
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
    audit(deal, by)
    deal.save()
    _deal_tally(deal, +1)
    return deal


@transaction.atomic
def deal_delete(
    *, deal: Deal, by: User | None = None, now: dt.datetime | None = None
) -> None:
    now = now or timezone.now()
    deal = Deal.objects.select_for_update().select_related("rep").get(pk=deal.pk)
    check_actor(by=by, rep=deal.rep)
    check_edit_window(
        local_date=deal.local_date, start=editable_from(by=by, rep=deal.rep, now=now)
    )
    _deal_tally(deal, -1)
    audit(deal, by)
    deal.delete()
