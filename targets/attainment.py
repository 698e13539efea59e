"""Attainment: actual against target, in each rep's local calendar; the percent rule.

Attainment is computed from the day tallies only, in each rep's local calendar, using the
targets that were in force on each day of the period (how a target spreads over the days
is `targets.target_shares`). A target changed mid-period counts with its old amount on
the days before the change and its new amount after.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils import timezone

from accounts.models import Role, Team, User
from activities.models import Metric
from activities.periods import period_bounds
from targets.ramps import Ramp
from targets.target_shares import (
    NO_ACTUALS,
    TargetTerms,
    rounded_target,
    target_share,
    targets_and_actuals,
    targets_and_range_totals,
)

MET, ON_PACE, BEHIND, NO_TARGET = "met", "on_pace", "behind", "no_target"
# Up to this many distinct ranges, attainment reads the tallies summed per range;
# beyond (ninety single days), the days, each summed in Python.
RANGES_READ_AS_SUMS = 6
ZERO = Decimal(0)
ATTAINMENT_STATUSES = [MET, ON_PACE, BEHIND, NO_TARGET]


def percent_of_target(actual: Decimal, target: Decimal | None) -> int | None:
    """Actual as a whole percent of target, rounded down (None without a target).

    The one rounding rule for every percent the app shows or judges: 99.9 % is not
    100 %, so a rep is never shown "100 %" of a target they missed.
    """
    if not target:
        return None
    return int((actual * 100 / target).to_integral_value(rounding=ROUND_FLOOR))


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
    ramp: Ramp | None = None  # the rep's ramp, when they have targets on one

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


def _workday_over(rep: User, now: dt.datetime) -> bool:
    """Whether today's work hours are over in the rep's zone (today has elapsed)."""
    local = rep.local_now(now)
    return local.time() >= rep.work_end


def expected_by_now(
    *,
    rep: User,
    targets: list[TargetTerms],
    start: dt.date,
    today: dt.date,
    now: dt.datetime,
) -> Decimal:
    """The share of a running period's target due by now: pace, not panic.

    Only work days that have elapsed in the rep's zone count (today once its work hours
    are over), so on the first morning of a period nothing is due and nobody is
    behind; a rep is behind only when short of the pace, not of the period's total.
    """
    last_elapsed = today if _workday_over(rep, now) else today - dt.timedelta(days=1)
    return target_share(
        targets=targets,
        start=start,
        end=last_elapsed,
        work_days=frozenset(rep.work_days or []),
    )


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
    total = rounded_target(
        target_share(targets=targets, start=start, end=end, work_days=work_days),
        metric.unit,
    )
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
    percent = percent_of_target(actual, total)
    if actual >= total:
        status = MET
    elif today > end:
        status = BEHIND
    else:
        expected = expected_by_now(
            rep=rep, targets=targets, start=start, today=today, now=now
        )
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


def daily_targets_and_actuals(
    *, reps: list[User], days: dict[int, list[dt.date]], metrics: list[Metric]
) -> dict[tuple[int, int], list[tuple[Decimal | None, Decimal]]]:
    """Each rep's target (None without one) and actual of each metric on each of their
    given local days, in two queries: what `attainment_for_ranges` would say of those
    single days, without the rest (a review reads three days of every rep)."""
    wanted = [day for rep_days in days.values() for day in rep_days]
    if not reps or not wanted:
        return {}
    targets, actuals = targets_and_actuals(
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
                    rounded_target(
                        target_share(
                            targets=terms, start=day, end=day, work_days=work_days
                        ),
                        metric.unit,
                    )
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
    if metrics is None:
        metrics = list(Metric.objects.order_by("sort_order", "slug"))
    rep_ids = [rep.pk for rep in reps]
    distinct = sorted(set(ranges.values()))
    if len(distinct) <= RANGES_READ_AS_SUMS:
        # A few ranges (a dashboard's day, week and month; a review's months): the
        # tallies summed per range in the database, a row a rep and metric.
        targets_by_key, totals = targets_and_range_totals(
            rep_ids=rep_ids, metrics=metrics, ranges=distinct
        )

        def actual_of(key, start, end) -> Decimal:
            return totals.get((*key, (start, end)), ZERO)
    else:
        targets_by_key, actuals = targets_and_actuals(
            rep_ids=rep_ids,
            metrics=metrics,
            first=distinct[0][0],
            last=max(end for _start, end in distinct),
        )

        def actual_of(key, start, end) -> Decimal:
            return actuals.get(key, NO_ACTUALS).between(start, end)

    labels = {metric.pk: metric.label for metric in metrics}  # one gettext each
    reps_by_id = {rep.pk: rep for rep in reps}
    todays: dict[int, dt.date] = {}
    result = {}
    for (rep_id, label), (start, end) in ranges.items():
        rep = reps_by_id[rep_id]
        if rep_id not in todays:
            todays[rep_id] = rep.local_date(now)
        items, ramp = [], None
        for metric in metrics:
            key = (rep_id, metric.pk)
            targets = targets_by_key.get(key, [])
            ramp = ramp or next((term.ramp for term in targets if term.ramp), None)
            actual = actual_of(key, start, end)
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
            rep=rep, period=label, start=start, end=end, metrics=items, ramp=ramp
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
