"""The reads behind a diagnosis: a fixed number of queries for any number of reps.

Totals per window come from the day tallies and, for connected calls, from the calls'
outcomes, summed in the database per rep over each rep's own windows (one CASE per
distinct window: reps in the same closed month share one, a rolling window differs by
at most a day or two across the zones), so rows read do not grow with the window.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Round

from accounts.models import User
from activities.metric_cache import metrics_in_order
from activities.models import Activity, CallOutcome, DayTally, Metric
from activities.periods import work_days_between
from coaching.diagnosis.arithmetic import FunnelCounts
from coaching.diagnosis.windows import Window
from targets.quota import rep_quota_metric_slug
from targets.target_shares import target_share, targets_between

CALLS, APPOINTMENTS, EMAILS, NOTES = (
    "calls",
    "appointments",
    "emails",
    "thank_you_notes",
)
DEALS, REVENUE = "deals", "revenue"
FUNNEL_METRICS = (CALLS, APPOINTMENTS, EMAILS, NOTES, DEALS, REVENUE)
CURRENT, PREVIOUS = "current", "previous"


def _windowed_sum(
    column: str | Cast,
    windows: dict[int, Window],
    which: str,
    output_field,
    read: tuple[dt.date, dt.date],
    rows: Q | None = None,
) -> Sum:
    """SUM of `column` over each rep's own current (or previous) window, of the rows
    `read` (the dates the query reads) that match `rows` (all by default): a plain sum
    when every rep's window is those dates (a closed month without the previous
    window), a filtered one when every rep has the same window."""
    reps_by_bounds: dict[tuple[dt.date, dt.date], list[int]] = defaultdict(list)
    for rep_id, window in windows.items():
        bounds = (
            (window.first, window.last)
            if which == CURRENT
            else (window.previous_first, window.previous_last)
        )
        reps_by_bounds[bounds].append(rep_id)
    rows = rows or Q()
    if len(reps_by_bounds) == 1:
        [bounds] = reps_by_bounds
        if bounds == read:
            return Sum(column, filter=rows or None, default=0)
        return Sum(column, filter=rows & Q(local_date__range=bounds), default=0)
    whens = [
        When(rows & Q(rep_id__in=rep_ids, local_date__range=bounds), then=column)
        for bounds, rep_ids in sorted(reps_by_bounds.items())
    ]
    return Sum(Case(*whens, default=Value(0), output_field=output_field))


def _span(windows: dict[int, Window], previous: bool) -> tuple[dt.date, dt.date]:
    return (
        min(
            window.previous_first if previous else window.first
            for window in windows.values()
        ),
        max(window.last for window in windows.values()),
    )


def metrics_by_slug(slugs) -> dict[str, Metric]:
    """The funnel's metrics and the quota metrics (from the process's copy of the
    metrics: no query once it is loaded)."""
    wanted = set(FUNNEL_METRICS) | set(slugs)
    return {
        metric.slug: metric for metric in metrics_in_order() if metric.slug in wanted
    }


# Money summed in whole cents, of the money metrics' rows only: exact, and an integer
# sum is one the planner will hash. Summed as numeric, its wide running totals made
# PostgreSQL sort a 500-rep chunk's 49,000 tallies on disk instead (docs/performance.md,
# "Sixth sitting").
_CENTS = Cast(Round(F("amount") * 100), output_field=BigIntegerField())


def _from_cents(cents: int | None) -> Decimal:
    return Decimal(cents or 0).scaleb(-2)


def tally_totals(
    *, windows: dict[int, Window], metrics: dict[str, Metric], previous: bool = True
) -> dict[tuple[int, str, str], int | Decimal]:
    """(rep id, metric slug, CURRENT | PREVIOUS) -> the count, or the amount (a Decimal)
    of a money metric, from the day tallies: one query (the previous window only if
    asked)."""
    wanted = [metrics[slug] for slug in FUNNEL_METRICS if slug in metrics]
    if not windows or not wanted:
        return {}
    first, last = _span(windows, previous)
    read = (first, last)
    money_ids = {metric.pk for metric in wanted if metric.is_money}

    def cents(which: str) -> Sum:
        money = Q(metric_id__in=money_ids)
        return _windowed_sum(_CENTS, windows, which, BigIntegerField(), read, money)

    sums = {
        "current": _windowed_sum("quantity", windows, CURRENT, IntegerField(), read),
        "current_amount": cents(CURRENT),
    }
    if previous:
        sums |= {
            "previous": _windowed_sum(
                "quantity", windows, PREVIOUS, IntegerField(), read
            ),
            "previous_amount": cents(PREVIOUS),
        }
    rows = (
        DayTally.objects.filter(
            rep_id__in=list(windows),
            metric_id__in=[metric.pk for metric in wanted],
            local_date__gte=first,
            local_date__lte=last,
        )
        .values("rep_id", "metric_id")
        .annotate(**sums)
        .values_list("rep_id", "metric_id", *sums)
        .order_by()
    )
    slug_of = {metric.pk: metric.slug for metric in wanted}
    totals: dict[tuple[int, str, str], int | Decimal] = {}
    for rep_id, metric_id, current, current_amount, *before in rows:
        slug = slug_of[metric_id]
        if metric_id in money_ids:
            totals[rep_id, slug, CURRENT] = _from_cents(current_amount)
            if previous:
                totals[rep_id, slug, PREVIOUS] = _from_cents(before[1])
        else:
            totals[rep_id, slug, CURRENT] = current or 0
            if previous:
                totals[rep_id, slug, PREVIOUS] = before[0] or 0
    return totals


def connected_totals(
    *, windows: dict[int, Window], calls: Metric | None, previous: bool = True
) -> dict[tuple[int, str], int]:
    """(rep id, CURRENT | PREVIOUS) -> calls logged as connected: one query."""
    if not windows or calls is None:
        return {}
    first, last = _span(windows, previous)
    read = (first, last)
    sums = {
        "current": _windowed_sum("quantity", windows, CURRENT, IntegerField(), read)
    }
    if previous:
        sums["previous"] = _windowed_sum(
            "quantity", windows, PREVIOUS, IntegerField(), read
        )
    rows = (
        Activity.objects.filter(
            rep_id__in=list(windows),
            metric_id=calls.pk,
            outcome=CallOutcome.CONNECTED,
            local_date__gte=first,
            local_date__lte=last,
        )
        .values("rep_id")
        .annotate(**sums)
        .order_by()
    )
    totals = {}
    for row in rows:
        totals[row["rep_id"], CURRENT] = row["current"] or 0
        if previous:
            totals[row["rep_id"], PREVIOUS] = row["previous"] or 0
    return totals


def work_days_of(rep: User, first: dt.date, last: dt.date) -> int:
    """The rep's work days in a range, from their start date on."""
    if rep.start_date and rep.start_date > first:
        first = rep.start_date
    return work_days_between(start=first, end=last, work_days=frozenset(rep.work_days))


def funnel_counts(
    rep: User,
    window: Window,
    which: str,
    tallies: dict[tuple[int, str, str], int | Decimal],
    connected: dict[tuple[int, str], int],
) -> FunnelCounts:
    first, last = (
        (window.first, window.last)
        if which == CURRENT
        else (window.previous_first, window.previous_last)
    )

    def count(slug: str) -> int:
        return int(tallies.get((rep.pk, slug, which), 0))

    return FunnelCounts(
        work_days=work_days_of(rep, first, last),
        calls=count(CALLS),
        connected=connected.get((rep.pk, which), 0),
        appointments=count(APPOINTMENTS),
        deals=count(DEALS),
        revenue=tallies.get((rep.pk, REVENUE, which), Decimal(0)),
    )


def next_quotas(
    *, reps: list[User], windows: dict[int, Window], metrics: dict[str, Metric]
) -> dict[int, Decimal | None]:
    """Rep id -> the quota of the period after their window (the share of their quota
    metric's targets that falls on it), None without one: one query."""
    quota_metrics = {rep.pk: metrics.get(rep_quota_metric_slug(rep)) for rep in reps}
    wanted = list(
        {metric.pk: metric for metric in quota_metrics.values() if metric}.values()
    )
    if not reps or not wanted:
        return dict.fromkeys((rep.pk for rep in reps), None)
    periods = {rep.pk: windows[rep.pk].next_period for rep in reps}
    targets = targets_between(
        rep_ids=[rep.pk for rep in reps],
        metrics=wanted,
        first=min(start for start, _end in periods.values()),
        last=max(end for _start, end in periods.values()),
    )
    quotas: dict[int, Decimal | None] = {}
    for rep in reps:
        metric = quota_metrics[rep.pk]
        terms = targets.get((rep.pk, metric.pk), []) if metric else []
        if not terms:
            quotas[rep.pk] = None
            continue
        start, end = periods[rep.pk]
        share = target_share(
            targets=terms, start=start, end=end, work_days=frozenset(rep.work_days)
        )
        quotas[rep.pk] = share if share > 0 else None
    return quotas
