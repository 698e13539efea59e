"""Sparklines: a rep's weekly totals of one metric over the last eight ISO weeks."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from accounts.models import User
from activities.models import Metric
from activities.tallies import day_values

# The sparkline follows this metric (the one a manager looks at first) over 8 ISO weeks.
SPARKLINE_METRIC = "calls"
SPARKLINE_WEEKS = 8


def sparkline_points(weekly: list[int]) -> str:
    """SVG polyline points in a 70 × 20 box, scaled from the lowest to the highest week.

    A flat line (every week the same) runs through the middle.
    """
    if not weekly:
        return ""
    low, high = min(weekly), max(weekly)
    step = 70 / max(len(weekly) - 1, 1)
    return " ".join(
        f"{index * step:.1f},"
        f"{10 if high == low else 19 - 18 * (value - low) / (high - low):.1f}"
        for index, value in enumerate(weekly)
    )


def sparkline_weeks(local_today: dt.date) -> list[dt.date]:
    """The Mondays of the last eight ISO weeks, the current one last."""
    monday = local_today - dt.timedelta(days=local_today.weekday())
    return [
        monday - dt.timedelta(weeks=back) for back in range(SPARKLINE_WEEKS - 1, -1, -1)
    ]


def sparklines_for(
    *, reps: list[User], metric: Metric | None, weeks: list[dt.date]
) -> dict[int, list[int]]:
    """Weekly totals of one metric per rep over the given weeks, in one query.

    The day tallies of eight weeks are a few rows a rep; adding them up here is cheaper
    than asking the database to group them by week.
    """
    if metric is None or not reps or not weeks:
        return {rep.pk: [] for rep in reps}
    week_of = {
        weeks[0] + dt.timedelta(days=offset): weeks[0] + dt.timedelta(weeks=offset // 7)
        for offset in range(7 * len(weeks))
    }
    totals: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    for rep_id, _metric_id, local_date, value in day_values(
        rep_ids=[rep.pk for rep in reps],
        metrics=[metric],
        first=weeks[0],
        last=weeks[-1] + dt.timedelta(days=6),
    ):
        totals[rep_id, week_of[local_date]] += value
    return {
        rep.pk: [int(totals.get((rep.pk, week), 0)) for week in weeks] for rep in reps
    }
