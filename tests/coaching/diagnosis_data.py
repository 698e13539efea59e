"""Fixed funnels for the diagnosis tests: activities and tallies written as one day's."""

import datetime as dt
from decimal import Decimal

from activities.models import Activity, CallOutcome, Deal
from activities.tallies import tally_add
from targets.models import Target
from tests import factories

MAX_ROW = 500  # Activity.quantity's upper bound


def _activities(rep, slug, day, count, outcome=""):
    metric = factories.metric(slug)
    at = dt.datetime.combine(day, dt.time(12), tzinfo=rep.zone)
    while count > 0:
        quantity = min(count, MAX_ROW)
        Activity.objects.create(
            rep=rep,
            metric=metric,
            quantity=quantity,
            occurred_at=at,
            local_date=day,
            outcome=outcome,
        )
        tally_add(rep_id=rep.pk, metric_id=metric.pk, local_date=day, quantity=quantity)
        count -= quantity


def log_funnel(
    rep,
    day: dt.date,
    *,
    calls: int = 0,
    connected: int = 0,
    appointments: int = 0,
    deals: int = 0,
    deal_amount: Decimal | int = 0,
    emails: int = 0,
    notes: int = 0,
) -> None:
    """One day of a rep's funnel: calls (of them `connected`), appointments, deals of
    `deal_amount` each, emails and thank-you notes, with their day tallies."""
    _activities(rep, "calls", day, connected, CallOutcome.CONNECTED)
    _activities(rep, "calls", day, calls - connected, CallOutcome.NO_ANSWER)
    _activities(rep, "appointments", day, appointments)
    _activities(rep, "emails", day, emails)
    _activities(rep, "thank_you_notes", day, notes)
    at = dt.datetime.combine(day, dt.time(15), tzinfo=rep.zone)
    deals_metric, revenue = factories.metric("deals"), factories.metric("revenue")
    for number in range(deals):
        Deal.objects.create(
            rep=rep,
            title=f"Deal {number}",
            amount=deal_amount,
            closed_at=at,
            local_date=day,
        )
        tally_add(rep_id=rep.pk, metric_id=deals_metric.pk, local_date=day, quantity=1)
        tally_add(
            rep_id=rep.pk,
            metric_id=revenue.pk,
            local_date=day,
            quantity=1,
            amount=Decimal(deal_amount),
        )


def monthly_quota(rep, amount, *, slug: str = "revenue") -> Target:
    return factories.TargetFactory(
        rep=rep, metric=factories.metric(slug), period="month", amount=amount
    )
