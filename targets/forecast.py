"""Where the running month will close: each rep's projection with a range, against quota.

The method, per rep, in their own calendar (the month, its work days and "today" are
the rep's local ones), on their quota metric (`targets.quota`):

- **Banked**: the actual from the first of the month to yesterday. Today is still to
  play: the forecast is as of the start of the rep's day, so it moves once a day and the
  review and the dashboard agree on it.
- **Rate**: what the rep brings in per work day over their recent work days, the last
  `FORECAST_WORK_DAYS` before today (`activities.periods.last_work_days`: at most a
  month back, and never before the rep's start date). It is the total of the window
  (entries on days off included) divided by its work days. These days reach into last
  month early in a month, so the first morning of a month has a rate too.
- **Expected** = banked + rate x the work days left (today to the month's last day).
- **Range**: the month's remaining days are taken as draws like the recent ones, so
  their sum has a spread of sqrt(days left) x the standard deviation of the recent
  work days' values (population deviation, one value per work day). The range is one
  such spread either side of expected (about two months in three close inside it under
  a normal approximation); the low end never falls below what is banked.
- **Quota** is the month's quota line: the quota metric's target share of the whole
  month (`targets.target_shares`, rounded as attainment rounds it), None without one.

Money is kept to the cent; counts (a deals quota) are whole: low rounded down,
expected to nearest, high up, so the range always holds what can really happen.

A rep with no work day behind them in the window (they start today, or have no work
days) has nothing to project from and gets no forecast. Everything is read in a
constant number of queries whatever the number of reps: the metrics (unless given),
the target versions and the day tallies (`activities.tallies.day_values`).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils import timezone

from accounts.models import User
from activities.models import Metric
from activities.periods import MONTH, last_work_days, period_bounds, work_days_between
from targets.quota import rep_quota_metric_slug
from targets.target_shares import (
    NO_ACTUALS,
    DayTotals,
    TargetTerms,
    rounded_target,
    target_share,
    targets_and_actuals,
)

# How many recent work days the rate and the spread are read from (about a month).
FORECAST_WORK_DAYS = 20


@dataclass(frozen=True)
class MonthForecast:
    """The rep's quota metric for the running month in their calendar."""

    metric_slug: str
    month: tuple[dt.date, dt.date]
    actual: Decimal  # so far, to yesterday
    low: Decimal
    expected: Decimal
    high: Decimal
    quota: Decimal | None  # the month's quota target; None without one

    @property
    def at_risk(self) -> bool:
        """Even the range's upper end falls short of quota."""
        return self.quota is not None and self.high < self.quota


@lru_cache(maxsize=1024)
def _recent_work_days(today: dt.date, work_days: frozenset[int]) -> tuple[dt.date, ...]:
    # Most reps of a page or a review chunk share a date and a work week.
    return tuple(
        last_work_days(before=today, count=FORECAST_WORK_DAYS, work_days=work_days)
    )


def forecast_window(*, rep: User, today: dt.date) -> list[dt.date]:
    """The recent work days the rep's rate is read from, oldest first (none before the
    rep's start date)."""
    days = _recent_work_days(today, frozenset(rep.work_days or []))
    if rep.start_date:
        return [day for day in days if day >= rep.start_date]
    return list(days)


def _std_dev(values: list[Decimal]) -> Decimal:
    """The population standard deviation of the values (0 for fewer than two)."""
    if len(values) < 2:
        return Decimal(0)
    mean = sum(values, Decimal(0)) / len(values)
    return (sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)).sqrt()


def _rounded(value: Decimal, *, money: bool, rounding: str) -> Decimal:
    return value.quantize(Decimal("0.01") if money else Decimal(1), rounding=rounding)


def forecast_month(
    *,
    rep: User,
    metric: Metric,
    targets: list[TargetTerms],
    totals: DayTotals,
    today: dt.date,
    window: list[dt.date] | None = None,
) -> MonthForecast | None:
    """One rep's forecast from their target versions and day totals of the quota metric
    (pure arithmetic: `month_forecasts` reads for every rep at once).

    `today` is the rep's local date, `window` their `forecast_window` (worked out when
    not given); None when there is no work day to project from.
    """
    if window is None:
        window = forecast_window(rep=rep, today=today)
    if not window:
        return None
    work_days = frozenset(rep.work_days or [])
    month = period_bounds(period=MONTH, on=today)
    yesterday = today - dt.timedelta(days=1)
    actual = totals.between(month[0], yesterday)
    left = work_days_between(start=today, end=month[1], work_days=work_days)
    rate = totals.between(window[0], yesterday) / len(window)
    spread = Decimal(left).sqrt() * _std_dev(
        [totals.between(day, day) for day in window]
    )
    expected = actual + rate * left
    money = metric.is_money
    quota = rounded_target(
        target_share(
            targets=targets, start=month[0], end=month[1], work_days=work_days
        ),
        metric.unit,
    )
    return MonthForecast(
        metric_slug=metric.slug,
        month=month,
        actual=actual,
        low=_rounded(max(actual, expected - spread), money=money, rounding=ROUND_FLOOR),
        expected=_rounded(expected, money=money, rounding=ROUND_HALF_UP),
        high=_rounded(expected + spread, money=money, rounding=ROUND_CEILING),
        quota=quota or None,
    )


def month_forecasts(
    reps: list[User],
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    metrics: list[Metric] | None = None,
) -> dict[int, MonthForecast]:
    """Rep id -> forecast, in a constant number of queries for any number of reps.

    `today` is each rep's own local date when None (at `now`, default the current
    time). Load each rep's `team` with them (it names the quota metric). A caller that
    holds the metrics may pass them to save a query; reps whose quota metric is not
    among them, or who have nothing to project from, are left out. Three queries
    (two with `metrics`), none without reps.
    """
    if not reps:
        return {}
    now = now or timezone.now()
    todays = {rep.pk: today or rep.local_date(now) for rep in reps}
    slugs = {rep.pk: rep_quota_metric_slug(rep) for rep in reps}
    if metrics is None:
        metrics = list(Metric.objects.filter(slug__in=set(slugs.values())))
    by_slug = {
        metric.slug: metric for metric in metrics if metric.slug in slugs.values()
    }
    reps = [rep for rep in reps if slugs[rep.pk] in by_slug]
    windows = {rep.pk: forecast_window(rep=rep, today=todays[rep.pk]) for rep in reps}
    reps = [rep for rep in reps if windows[rep.pk]]
    if not reps:
        return {}
    targets, totals = targets_and_actuals(
        rep_ids=[rep.pk for rep in reps],
        metrics=list(by_slug.values()),
        first=min(
            min(windows[rep.pk][0], todays[rep.pk].replace(day=1)) for rep in reps
        ),
        last=max(period_bounds(period=MONTH, on=todays[rep.pk])[1] for rep in reps),
    )
    forecasts = {}
    for rep in reps:
        metric = by_slug[slugs[rep.pk]]
        key = (rep.pk, metric.pk)
        forecast = forecast_month(
            rep=rep,
            metric=metric,
            targets=targets.get(key, []),
            totals=totals.get(key, NO_ACTUALS),
            today=todays[rep.pk],
            window=windows[rep.pk],
        )
        if forecast is not None:
            forecasts[rep.pk] = forecast
    return forecasts
