"""Reads for a rep's results page (the drill-down, and a rep's own "My results").

Charts of actual against target by day (90 days), ISO week (13 weeks) and month (12
months), streaks of periods met, the history of target versions and the latest
activities. Every number comes from one call to the attainment selector over the day
tallies, so the page is a fixed number of queries whatever the length of history.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import DirectoryEntry, directory_entry
from activities.models import Activity, Metric, MetricKind
from activities.periods import DAY, MONTH, WEEK, dates_between
from targets.models import Target
from targets.ramp_history import RampHistoryEntry, ramp_changes_query, ramp_history
from targets.ramps import RampStatus
from targets.selectors import (
    MET,
    NO_TARGET,
    RepAttainment,
    attainment_for_ranges,
    period_bounds,
)

RECENT_ACTIVITIES = 20
DRILL_DOWN_DAYS = 90
DRILL_DOWN_WEEKS = 13
DRILL_DOWN_MONTHS = 12


@dataclass(frozen=True)
class ChartSeries:
    metric: str
    label: str
    unit: str
    actual: list[float]
    target: list[float | None]
    statuses: list[str]


@dataclass(frozen=True)
class Chart:
    period: str  # "day" | "week" | "month"
    title: str
    labels: list[str]
    series: list[ChartSeries]

    def as_json(self) -> dict:
        return {
            "period": self.period,
            "labels": self.labels,
            "series": [
                {
                    "metric": s.metric,
                    "label": s.label,
                    "unit": s.unit,
                    "actual": s.actual,
                    "target": s.target,
                }
                for s in self.series
            ],
        }


@dataclass(frozen=True)
class Streak:
    metric: str
    label: str
    period: str  # "day" | "week" | "month"
    current: int  # consecutive periods met, up to the latest finished one
    best: int  # the longest run in the window


@dataclass(frozen=True)
class RepResults:
    rep: User
    local: DirectoryEntry
    charts: list[Chart]
    streaks: list[Streak]
    target_history: list[Target]
    recent_activities: list[Activity]
    current: dict[str, RepAttainment]  # this week and this month, by period
    today: RepAttainment  # the running day (personal goals per day read it)
    # Why the rep's ramp is as it is, newest first; read only for a rep who has had a
    # ramp (known from the targets' query), and kept once the ramp is over
    ramp_changes: list[RampHistoryEntry] = field(default_factory=list)

    @property
    def targets_began_today(self) -> bool:
        """Day one: a target in force took effect today (it may still be replaced)."""
        today = self.local.local_now.date()
        return any(
            target.effective_from == today and not target.is_superseded
            for target in self.target_history
        )

    @property
    def ramp(self) -> RampStatus | None:
        """Today's place on the rep's ramp (read with the targets), None off a ramp."""
        ramp = self.current[WEEK].ramp or self.current[MONTH].ramp
        return ramp.status_on(self.local.local_now.date()) if ramp else None

    @property
    def charts_json(self) -> dict:
        return {chart.period: chart.as_json() for chart in self.charts}


CHART_TITLES = {
    DAY: _("Daily activity against the daily target (last 90 days)"),
    WEEK: _("Weekly results against target (last 13 weeks)"),
    MONTH: _("Monthly results against quota (last 12 months)"),
}


def _window(period: str, local_today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The drill-down's ranges of one kind, oldest first, the current one last."""
    if period == DAY:
        first = local_today - dt.timedelta(days=DRILL_DOWN_DAYS - 1)
        return [(day, day) for day in dates_between(first, local_today)]
    if period == WEEK:
        start, _end = period_bounds(period=WEEK, on=local_today)
        return [
            period_bounds(period=WEEK, on=start - dt.timedelta(weeks=back))
            for back in range(DRILL_DOWN_WEEKS - 1, -1, -1)
        ]
    months = []
    on = local_today
    for _index in range(DRILL_DOWN_MONTHS):
        months.append(period_bounds(period=MONTH, on=on))
        on = on.replace(day=1) - dt.timedelta(days=1)
    return list(reversed(months))


def _chart_label(period: str, start: dt.date) -> str:
    if period == MONTH:
        return start.strftime("%Y-%m")
    return start.isoformat()


def _chart_periods(history: list[Target], metrics: list[Metric]) -> dict[str, str]:
    """Which chart each metric belongs to: the period of its latest target.

    Metrics that never had a target are left out (there is nothing to measure them by).
    """
    latest: dict[int, Target] = {}
    for target in history:
        if target.is_superseded:
            continue
        if (
            target.metric_id not in latest
            or target.effective_from > latest[target.metric_id].effective_from
        ):
            latest[target.metric_id] = target
    return {
        metric.slug: latest[metric.pk].period
        for metric in metrics
        if metric.pk in latest
    }


def _streak(statuses: list[str]) -> tuple[int, int]:
    """(current, best) runs of "met", skipping periods without a target.

    The last period is still running: it extends the current run when already met and
    otherwise does not break it.
    """
    best = run = 0
    for status in statuses:
        if status == NO_TARGET:
            continue
        run = run + 1 if status == MET else 0
        best = max(best, run)
    current = 0
    for position, status in enumerate(reversed(statuses)):
        if status == NO_TARGET:
            continue
        if status == MET:
            current += 1
        elif position == 0:
            continue
        else:
            break
    return current, best


def rep_results_for(*, rep: User, now: dt.datetime | None = None) -> RepResults:
    """Everything a rep's results page shows, in five queries whatever the history.

    Metrics, targets and tallies for a year of day, week and month ranges (one call to
    the attainment selector), the target history, and the recent activities.
    """
    now = now or timezone.now()
    local_today = rep.local_date(now)
    metrics = list(Metric.objects.order_by("sort_order", "slug"))
    history = list(
        Target.objects.filter(rep=rep)
        .select_related("metric", "set_by", "superseded_by")
        .order_by("metric__sort_order", "-effective_from", "-pk")
    )
    windows = {period: _window(period, local_today) for period in (DAY, WEEK, MONTH)}
    ranges = {
        (rep.pk, f"{period}:{start.isoformat()}"): (start, end)
        for period, window in windows.items()
        for start, end in window
    }
    ranges[rep.pk, WEEK] = period_bounds(period=WEEK, on=local_today)
    ranges[rep.pk, MONTH] = period_bounds(period=MONTH, on=local_today)
    attainment = attainment_for_ranges(
        reps=[rep], ranges=ranges, now=now, metrics=metrics
    )
    chart_periods = _chart_periods(history, metrics)
    charts, streaks = [], []
    for period, window in windows.items():
        series = []
        for metric in metrics:
            if chart_periods.get(metric.slug) != period:
                continue
            if period == DAY and metric.kind != MetricKind.ACTIVITY:
                continue
            items = [
                attainment[rep.pk, f"{period}:{start.isoformat()}"].for_metric(
                    metric.slug
                )
                for start, _end in window
            ]
            statuses = [item.status if item else NO_TARGET for item in items]
            series.append(
                ChartSeries(
                    metric=metric.slug,
                    label=metric.label,
                    unit=metric.unit,
                    actual=[float(item.actual) if item else 0.0 for item in items],
                    target=[
                        float(item.target) if item and item.target is not None else None
                        for item in items
                    ],
                    statuses=statuses,
                )
            )
            current, best = _streak(statuses)
            streaks.append(
                Streak(
                    metric=metric.slug,
                    label=metric.label,
                    period=period,
                    current=current,
                    best=best,
                )
            )
        if series:
            charts.append(
                Chart(
                    period=period,
                    title=str(CHART_TITLES[period]),
                    labels=[_chart_label(period, start) for start, _end in window],
                    series=series,
                )
            )
    recent = list(
        Activity.objects.filter(rep=rep)
        .select_related("metric")
        .order_by("-occurred_at", "-id")[:RECENT_ACTIVITIES]
    )
    ramp = attainment[rep.pk, WEEK].ramp or attainment[rep.pk, MONTH].ramp
    return RepResults(
        rep=rep,
        local=directory_entry(rep, now),
        charts=charts,
        streaks=streaks,
        target_history=history,
        recent_activities=recent,
        current={WEEK: attainment[rep.pk, WEEK], MONTH: attainment[rep.pk, MONTH]},
        today=attainment[rep.pk, f"{DAY}:{local_today.isoformat()}"],
        ramp_changes=ramp_history(
            rep=rep, changes=list(ramp_changes_query(rep)), starts_on=ramp.starts_on
        )
        if ramp
        else [],
    )
