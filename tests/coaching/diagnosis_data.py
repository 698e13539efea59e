"""Fixed funnels for the diagnosis tests: activities and tallies written as one day's."""

import datetime as dt
from decimal import Decimal

from activities.models import Activity, CallOutcome, Deal
from activities.tallies import tally_add
from coaching.diagnosis import FunnelCounts
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
    Deal.objects.bulk_create(
        Deal(
            rep=rep,
            title=f"Deal {number}",
            amount=deal_amount,
            closed_at=at,
            local_date=day,
        )
        for number in range(deals)
    )
    if deals:
        tally_add(
            rep_id=rep.pk, metric_id=deals_metric.pk, local_date=day, quantity=deals
        )
        tally_add(
            rep_id=rep.pk,
            metric_id=revenue.pk,
            local_date=day,
            quantity=deals,
            amount=Decimal(deal_amount) * deals,
        )


def monthly_quota(rep, amount, *, slug: str = "revenue") -> Target:
    return factories.TargetFactory(
        rep=rep, metric=factories.metric(slug), period="month", amount=amount
    )


# A good funnel over the 65 work days of a 90-day window: 1,600 calls, a quarter
# connected, a quarter of those booked, half of the appointments won at €1,000.
GOOD_FUNNEL = {
    "calls": 1600,
    "connected": 400,
    "appointments": 100,
    "deals": 50,
    "deal_amount": 1000,
}
GOOD = FunnelCounts(
    work_days=65,
    calls=1600,
    connected=400,
    appointments=100,
    deals=50,
    revenue=Decimal(50000),
)


def team_of(size: int, day: dt.date, **team_fields):
    """A team of `size` reps, each with the good funnel on `day`."""
    team = factories.TeamFactory(**team_fields)
    for _ in range(size):
        log_funnel(factories.RepFactory(team=team), day, **GOOD_FUNNEL)
    return team
