"""The dashboard's month forecast: each rep's projection (`targets.forecast`) and the
team's sum, as cells.

The team's sum adds up each end of the reps' ranges: its low is where the team lands if
every rep lands at their low end, its high if every rep lands at their high end. It is
against the sum of the quotas of the reps that have one. Reps are only added up when
they share one quota metric (revenue and deals do not add).
"""

from dataclasses import dataclass
from decimal import Decimal

from activities.models import Metric, MetricUnit
from targets.forecast import MonthForecast


@dataclass(frozen=True)
class ForecastCell:
    """A month forecast as the dashboard shows it: expected, its range, the quota."""

    metric_slug: str
    unit: str  # "count" or "money"
    low: Decimal
    expected: Decimal
    high: Decimal
    quota: Decimal | None  # None without a quota

    @property
    def at_risk(self) -> bool:
        """Even the range's upper end falls short of quota (as `MonthForecast`)."""
        return self.quota is not None and self.high < self.quota


def forecast_cells(
    forecasts: dict[int, MonthForecast], *, metrics: list[Metric]
) -> dict[int, ForecastCell]:
    """Rep id -> the cell of their forecast (`metrics` give the units)."""
    units = {metric.slug: metric.unit for metric in metrics}
    return {
        rep_id: ForecastCell(
            metric_slug=forecast.metric_slug,
            unit=units.get(forecast.metric_slug, MetricUnit.COUNT),
            low=forecast.low,
            expected=forecast.expected,
            high=forecast.high,
            quota=forecast.quota,
        )
        for rep_id, forecast in forecasts.items()
    }


def forecast_total(cells: list[ForecastCell]) -> ForecastCell | None:
    """The team's sum of these cells, or None: none, or different quota metrics."""
    if len({cell.metric_slug for cell in cells}) != 1:
        return None
    quotas = [cell.quota for cell in cells if cell.quota is not None]
    return ForecastCell(
        metric_slug=cells[0].metric_slug,
        unit=cells[0].unit,
        low=sum((cell.low for cell in cells), Decimal(0)),
        expected=sum((cell.expected for cell in cells), Decimal(0)),
        high=sum((cell.high for cell in cells), Decimal(0)),
        quota=sum(quotas, Decimal(0)) if quotas else None,
    )
