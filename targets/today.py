"""The rep's Today page, read in one go: progress, today's entries, targets to agree."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from activities.metric_cache import metrics_in_order
from activities.models import Activity, CallOutcome, Metric, MetricKind
from activities.periods import DAY, MONTH, WEEK
from targets.models import Target
from targets.ramps import RampStatus
from targets.selectors import MetricAttainment, attainment_for_reps

# A card shows the metrics whose current target is of this period or a shorter one.
CARD_PERIODS = {DAY: {DAY}, WEEK: {DAY, WEEK}, MONTH: {DAY, WEEK, MONTH}}
CARD_TITLES = {DAY: _("Today"), WEEK: _("This week"), MONTH: _("This month")}
MAX_ENTRIES = 50


@dataclass(frozen=True)
class ProgressCard:
    period: str
    title: str
    start: dt.date
    end: dt.date
    items: list[MetricAttainment]


@dataclass(frozen=True)
class TodayPage:
    rep: User
    local_now: dt.datetime
    cards: list[ProgressCard]
    entries: list[Activity]
    to_acknowledge: list[Target]
    outcomes: list[tuple[str, str]]
    loggable: list[Metric]
    currency: str
    ramp: RampStatus | None = None  # today's place on the rep's ramp


def today_for_rep(*, rep: User, now: dt.datetime | None = None) -> TodayPage:
    """Everything the Today page shows, in a constant number of queries."""
    now = now or timezone.now()
    today = rep.local_date(now)
    metrics = metrics_in_order()
    attainment = attainment_for_reps(
        reps=[rep], periods=[DAY, WEEK, MONTH], on=today, now=now, metrics=metrics
    )
    current = list(
        Target.objects.filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=today), rep=rep
        )
        .select_related("metric")
        .order_by("effective_from", "metric__sort_order")
    )
    period_today = {
        target.metric.slug: target.period
        for target in current
        if target.effective_from <= today
    }
    cards = []
    for period in (DAY, WEEK, MONTH):
        rep_attainment = attainment[rep.pk, period]
        cards.append(
            ProgressCard(
                period=period,
                title=CARD_TITLES[period],
                start=rep_attainment.start,
                end=rep_attainment.end,
                items=[
                    item
                    for item in rep_attainment.metrics
                    if item.target is not None
                    and period_today.get(item.metric) in CARD_PERIODS[period]
                ],
            )
        )
    entries = list(
        Activity.objects.filter(rep=rep, local_date=today)
        .select_related("metric")
        .order_by("-occurred_at", "-id")[:MAX_ENTRIES]
    )
    return TodayPage(
        rep=rep,
        local_now=rep.local_now(now),
        cards=cards,
        entries=entries,
        to_acknowledge=[target for target in current if target.agreed_at is None],
        outcomes=list(CallOutcome.choices),
        loggable=[
            metric
            for metric in metrics
            if metric.is_active and metric.kind == MetricKind.ACTIVITY
        ],
        currency=settings.COMPANY_CURRENCY,
        ramp=next(
            (
                found.ramp.status_on(today)
                for period in (DAY, WEEK, MONTH)
                if (found := attainment[rep.pk, period]).ramp
            ),
            None,
        ),
    )
