"""Reads about targets: attainment (actual against target), targets in force, agreement.

Attainment is computed from the day tallies only, in each rep's local calendar, using the
targets that were in force on each day of the period. A target of any period is spread
over the rep's work days: a daily target counts once per work day, a weekly one is
`amount / work days of that week` per work day, a monthly one likewise per month. So a
week's daily-target total is amount × work days, and a target changed mid-period counts
with its old amount on the days before the change and its new amount after.
"""

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Role, Team, User
from accounts.permissions import records_q
from activities.models import Metric, MetricUnit
from activities.periods import DAY, MONTH, PERIODS, WEEK, period_bounds
from activities.tallies import day_values
from salesteam.sql import decimal_reader, fetch_rows, table, where_in
from targets.models import Target, TargetTemplate

__all__ = [
    "DAY",
    "MONTH",
    "PERIODS",
    "WEEK",
    "MetricAttainment",
    "RepAttainment",
    "attainment_for_rep",
    "attainment_for_ranges",
    "attainment_for_reps",
    "attainment_for_team",
    "default_template",
    "period_bounds",
    "targets_awaiting_agreement",
    "targets_for_viewer",
]

MET, ON_PACE, BEHIND, NO_TARGET = "met", "on_pace", "behind", "no_target"


@dataclass(frozen=True)
class MetricAttainment:
    metric: str  # the metric's slug
    label: str
    unit: str  # "count" or "money"
    target: Decimal | None
    actual: Decimal
    percent: int | None
    status: str  # "met" | "on_pace" | "behind" | "no_target"

    @property
    def bar_percent(self) -> int:
        """The width of a progress bar: percent, capped at 100."""
        return min(self.percent or 0, 100)


@dataclass(frozen=True)
class RepAttainment:
    rep: User
    period: str
    start: dt.date
    end: dt.date
    metrics: list[MetricAttainment]

    def for_metric(self, slug: str) -> MetricAttainment | None:
        return next((item for item in self.metrics if item.metric == slug), None)

    @property
    def on_target(self) -> bool:
        """Every metric that has a target is met (False when nothing has a target)."""
        targeted = [item for item in self.metrics if item.target is not None]
        return bool(targeted) and all(item.status == MET for item in targeted)

    @property
    def targeted(self) -> list[MetricAttainment]:
        return [item for item in self.metrics if item.target is not None]


class TargetTerms(NamedTuple):
    """What attainment needs of a target version (read as plain rows: a chunk of the
    review reads thousands)."""

    period: str
    amount: Decimal
    effective_from: dt.date
    effective_until: dt.date | None


def _work_days_between(start: dt.date, end: dt.date, work_days: frozenset[int]) -> int:
    """How many of the dates from start to end (inclusive) are work days."""
    days = (end - start).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    first = start.isoweekday()
    extra = sum(
        1 for offset in range(rest) if (first + offset - 1) % 7 + 1 in work_days
    )
    return weeks * len(work_days) + extra


@lru_cache(maxsize=4096)
def _work_days_in(period: str, on: dt.date, work_days: frozenset[int]) -> int:
    return _work_days_between(*period_bounds(period=period, on=on), work_days)


def _target_total(
    targets: list[TargetTerms], start: dt.date, end: dt.date, work_days: frozenset[int]
) -> Decimal:
    """The share of these targets that falls on the days from start to end.

    A target counts on the days it is in force, spread evenly over the work days of its
    own day, week or month; so the sum over a range is worked out period by period,
    not day by day.
    """
    total = Decimal(0)
    for target in targets:
        low = max(start, target.effective_from)
        high = (
            end if target.effective_until is None else min(end, target.effective_until)
        )
        if target.period == DAY:
            total += target.amount * _work_days_between(low, high, work_days)
            continue
        while low <= high:
            period_end = period_bounds(period=target.period, on=low)[1]
            stop = min(high, period_end)
            days = _work_days_between(low, stop, work_days)
            if days:
                total += (
                    target.amount * days / _work_days_in(target.period, low, work_days)
                )
            low = stop + dt.timedelta(days=1)
    return total


class _Actuals:
    """One rep's day tallies of one metric as running totals: any range is two bisects."""

    def __init__(self, by_day: dict[dt.date, Decimal]):
        self._days = sorted(by_day)
        self._running = [Decimal(0)]
        for day in self._days:
            self._running.append(self._running[-1] + by_day[day])

    def between(self, start: dt.date, end: dt.date) -> Decimal:
        if not self._days:
            return Decimal(0)
        low = bisect_left(self._days, start)
        high = bisect_right(self._days, end)
        return self._running[high] - self._running[low] if high > low else Decimal(0)


NO_ACTUALS = _Actuals({})


def _rounded(value: Decimal, unit: str) -> Decimal:
    if unit == MetricUnit.MONEY:
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Decimal(1) if whole == 0 and value > 0 else whole


def _fraction_of_workday(rep: User, now: dt.datetime) -> Decimal:
    """How much of today's work hours has passed, 0 to 1, in the rep's zone."""
    local = rep.local_now(now)
    start = dt.datetime.combine(local.date(), rep.work_start, tzinfo=local.tzinfo)
    end = dt.datetime.combine(local.date(), rep.work_end, tzinfo=local.tzinfo)
    if local <= start or end <= start:
        return Decimal(0)
    if local >= end:
        return Decimal(1)
    return Decimal((local - start).total_seconds() / (end - start).total_seconds())


def _metric_attainment(
    *,
    rep: User,
    metric: Metric,
    label: str,
    targets: list[TargetTerms],
    actual: Decimal,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    now: dt.datetime,
) -> MetricAttainment:
    work_days = frozenset(rep.work_days or [])
    total = _rounded(_target_total(targets, start, end, work_days), metric.unit)
    if not total:
        return MetricAttainment(
            metric=metric.slug,
            label=label,
            unit=metric.unit,
            target=None,
            actual=actual,
            percent=None,
            status=NO_TARGET,
        )
    percent = int((actual * 100 / total).to_integral_value(rounding=ROUND_FLOOR))
    if actual >= total:
        status = MET
    elif today > end:
        status = BEHIND
    else:
        # The share of the target due by now: the days before today, and the part of
        # today's work hours that has passed.
        expected = _target_total(
            targets, start, today - dt.timedelta(days=1), work_days
        )
        if start <= today:
            today_share = _target_total(targets, today, today, work_days)
            expected += today_share * _fraction_of_workday(rep, now)
        status = ON_PACE if actual >= expected else BEHIND
    return MetricAttainment(
        metric=metric.slug,
        label=label,
        unit=metric.unit,
        target=total,
        actual=actual,
        percent=percent,
        status=status,
    )


def attainment_for_reps(
    *,
    reps: list[User],
    periods: list[str],
    on: dt.date,
    now: dt.datetime | None = None,
    metrics: list[Metric] | None = None,
) -> dict[tuple[int, str], RepAttainment]:
    """Attainment of several reps for several periods holding `on`, in three queries.

    Keyed by (rep id, period). Metrics shown: the active ones, plus retired ones that have
    a target or an actual in the range. A caller that already holds every metric (in
    sort order) may pass them to save a query.
    """
    bounds = {period: period_bounds(period=period, on=on) for period in periods}
    return attainment_for_ranges(
        reps=reps,
        ranges={(rep.pk, period): bounds[period] for rep in reps for period in periods},
        now=now,
        metrics=metrics,
    )


def _target_terms(
    *, rep_ids: list[int], metric_ids: list[int], first: dt.date, last: dt.date
) -> dict[tuple[int, int], list[TargetTerms]]:
    """The target versions of these reps and metrics in force at some point between two
    local dates, keyed by (rep id, metric id), oldest first: one query, written as SQL
    because every dashboard request makes it (salesteam/sql.py)."""
    reps_in, rep_params = where_in("rep_id", rep_ids)
    metrics_in, metric_params = where_in("metric_id", metric_ids)
    rows = fetch_rows(
        "SELECT rep_id, metric_id, period, amount, effective_from, effective_until"
        f" FROM {table(Target)} WHERE {reps_in} AND {metrics_in}"
        " AND effective_from <= %s"
        " AND (effective_until IS NULL OR effective_until >= %s)"
        " ORDER BY rep_id, metric_id, effective_from",
        [*rep_params, *metric_params, last, first],
    )
    amount_of = decimal_reader(Target, "amount")
    terms: dict[tuple[int, int], list[TargetTerms]] = defaultdict(list)
    for rep_id, metric_id, period, amount, effective_from, effective_until in rows:
        terms[rep_id, metric_id].append(
            TargetTerms(period, amount_of(amount), effective_from, effective_until)
        )
    return terms


def _targets_and_actuals(
    *, rep_ids: list[int], metrics: list[Metric], first: dt.date, last: dt.date
) -> tuple[dict[tuple[int, int], list[TargetTerms]], dict[tuple[int, int], _Actuals]]:
    """The target versions and day tallies of these reps and metrics between two local
    dates, keyed by (rep id, metric id): two queries."""
    if not rep_ids or not metrics:
        return {}, {}
    targets = _target_terms(
        rep_ids=rep_ids,
        metric_ids=[metric.pk for metric in metrics],
        first=first,
        last=last,
    )
    tallies: dict[tuple[int, int], dict[dt.date, Decimal]] = defaultdict(dict)
    for rep_id, metric_id, local_date, value in day_values(
        rep_ids=rep_ids, metrics=metrics, first=first, last=last
    ):
        tallies[rep_id, metric_id][local_date] = value
    return targets, {key: _Actuals(by_day) for key, by_day in tallies.items()}


def daily_targets_and_actuals(
    *, reps: list[User], days: dict[int, list[dt.date]], metrics: list[Metric]
) -> dict[tuple[int, int], list[tuple[Decimal | None, Decimal]]]:
    """Each rep's target (None without one) and actual of each metric on each of their
    given local days, in two queries: what `attainment_for_ranges` would say of those
    single days, without the rest (a review reads three days of every rep)."""
    wanted = [day for rep_days in days.values() for day in rep_days]
    if not reps or not wanted:
        return {}
    targets, actuals = _targets_and_actuals(
        rep_ids=[rep.pk for rep in reps],
        metrics=metrics,
        first=min(wanted),
        last=max(wanted),
    )
    result = {}
    for rep in reps:
        work_days = frozenset(rep.work_days or [])
        for metric in metrics:
            key = (rep.pk, metric.pk)
            terms, tally = targets.get(key, []), actuals.get(key, NO_ACTUALS)
            result[key] = [
                (
                    _rounded(_target_total(terms, day, day, work_days), metric.unit)
                    or None,
                    tally.between(day, day),
                )
                for day in days.get(rep.pk, [])
            ]
    return result


def attainment_for_ranges(
    *,
    reps: list[User],
    ranges: dict[tuple[int, str], tuple[dt.date, dt.date]],
    now: dt.datetime | None = None,
    metrics: list[Metric] | None = None,
) -> dict[tuple[int, str], RepAttainment]:
    """Attainment for any local date ranges, each rep its own, in three queries.

    `ranges` maps (rep id, label) to a first and last local date (both inclusive); the
    label becomes `RepAttainment.period` and is the key of the result, so one call can
    read "today" in every rep's own calendar, a custom range, or ninety single days.
    The same rules as `attainment_for_reps` apply (they share this code). A caller may
    pass the metrics (in sort order): all of them saves a query, a few of them reads
    only their targets and tallies.
    """
    now = now or timezone.now()
    if not reps or not ranges:
        return {}
    first = min(start for start, _end in ranges.values())
    last = max(end for _start, end in ranges.values())
    if metrics is None:
        metrics = list(Metric.objects.order_by("sort_order", "slug"))
    targets_by_key, actuals = _targets_and_actuals(
        rep_ids=[rep.pk for rep in reps], metrics=metrics, first=first, last=last
    )
    labels = {metric.pk: metric.label for metric in metrics}  # one gettext each
    reps_by_id = {rep.pk: rep for rep in reps}
    todays: dict[int, dt.date] = {}
    result = {}
    for (rep_id, label), (start, end) in ranges.items():
        rep = reps_by_id[rep_id]
        if rep_id not in todays:
            todays[rep_id] = rep.local_date(now)
        items = []
        for metric in metrics:
            key = (rep_id, metric.pk)
            targets = targets_by_key.get(key, [])
            actual = actuals.get(key, NO_ACTUALS).between(start, end)
            if not metric.is_active and not targets and not actual:
                continue
            items.append(
                _metric_attainment(
                    rep=rep,
                    metric=metric,
                    label=labels[metric.pk],
                    targets=targets,
                    actual=actual,
                    start=start,
                    end=end,
                    today=todays[rep_id],
                    now=now,
                )
            )
        result[rep.pk, label] = RepAttainment(
            rep=rep, period=label, start=start, end=end, metrics=items
        )
    return result


def attainment_for_rep(
    *, rep: User, period: str, on: dt.date, now: dt.datetime | None = None
) -> RepAttainment:
    """One rep's attainment for the day, ISO week or month holding `on` (a local date)."""
    return attainment_for_reps(reps=[rep], periods=[period], on=on, now=now)[
        rep.pk, period
    ]


def team_reps(team: Team) -> list[User]:
    return list(team.members.filter(role=Role.REP, is_active=True))


def attainment_for_team(
    *, team: Team, period: str, on: dt.date, now: dt.datetime | None = None
) -> list[RepAttainment]:
    """Every active rep of a team; four queries whatever the team size or history."""
    reps = team_reps(team)
    by_rep = attainment_for_reps(reps=reps, periods=[period], on=on, now=now)
    return [by_rep[rep.pk, period] for rep in reps]


def targets_for_viewer(viewer: User) -> QuerySet[Target]:
    """Every target (with history) the viewer may see."""
    return Target.objects.filter(records_q(viewer)).select_related(
        "rep", "metric", "set_by"
    )


def targets_awaiting_agreement(
    *, viewer: User, rep: User | None = None, today: dt.date | None = None
) -> QuerySet[Target]:
    """Targets in force now or later that their rep has not yet agreed to."""
    targets = targets_for_viewer(viewer).filter(agreed_at__isnull=True)
    if rep is not None:
        targets = targets.filter(rep=rep)
    if today is not None:
        targets = targets.filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=today)
        )
    return targets.order_by("rep_id", "effective_from", "metric__sort_order")


def targets_current(*, viewer: User, today: dt.date) -> QuerySet[Target]:
    """Targets in force on `today` or later, for the reps the viewer may see."""
    return (
        targets_for_viewer(viewer)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
        .order_by("rep__first_name", "rep__last_name", "metric__sort_order")
    )


def default_template() -> TargetTemplate | None:
    """The template new reps get ("Standard rep" unless an admin chose another)."""
    return TargetTemplate.objects.filter(is_default=True).order_by("name").first()
