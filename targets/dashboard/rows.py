"""A dashboard's rows and columns: one rep per row, one metric per column, totals."""

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User
from accounts.selectors import DirectoryEntry
from targets.attainment import (
    BEHIND,
    MET,
    NO_TARGET,
    ON_PACE,
    MetricAttainment,
    RepAttainment,
    percent_of_target,
)
from targets.dashboard.forecasts import ForecastCell
from targets.dashboard.sparklines import sparkline_points

SORT_NAME = "name"
SORT_LOCAL_TIME = "local_time"


@dataclass(frozen=True)
class Column:
    slug: str
    label: str
    unit: str


@dataclass
class DashboardRow:
    """One rep on the dashboard.

    `open_flags` and `open_plan` come from the results review's open flags (a
    below-quota flag stays open exactly as long as its improvement plan); each shows as
    a badge beside the rep's name. `forecast` is the rep's running month projected
    (`targets.dashboard.forecasts`), None when there is nothing to project.
    """

    rep: User
    attainment: RepAttainment
    cells: list[MetricAttainment | None]
    local: DirectoryEntry
    sparkline: list[int]
    pending_acknowledgement: bool
    open_flags: int = 0
    open_plan: bool = False
    forecast: ForecastCell | None = None

    @property
    def team_name(self) -> str:
        return self.rep.team.name if self.rep.team_id else ""

    @property
    def sparkline_points(self) -> str:
        """The sparkline as SVG polyline points (see `sparkline_points`)."""
        return sparkline_points(self.sparkline)


@dataclass(frozen=True)
class TotalCell:
    target: Decimal | None
    actual: Decimal
    percent: int | None
    status: str
    unit: str


def total_cell(cells: list[MetricAttainment], unit: str) -> TotalCell:
    """A column's team total: actuals and targets added up, met only if the sum is."""
    actual = sum((cell.actual for cell in cells), Decimal(0))
    targeted = [cell for cell in cells if cell.target is not None]
    target = sum((cell.target for cell in targeted), Decimal(0)) if targeted else None
    if not target:
        return TotalCell(None, actual, None, NO_TARGET, unit)
    percent = percent_of_target(actual, target)
    if actual >= target:
        status = MET
    elif all(cell.status in (MET, ON_PACE) for cell in targeted):
        status = ON_PACE
    else:
        status = BEHIND
    return TotalCell(target, actual, percent, status, unit)


def sort_rows(
    rows: list[DashboardRow], *, columns: list[Column], sort: str, direction: str
) -> tuple[str, str]:
    """Sort in place by name, local time or a metric (percent, then actual)."""
    reverse = direction == "desc"
    slugs = [column.slug for column in columns]
    if sort in slugs:
        index = slugs.index(sort)

        def metric_key(row: DashboardRow):
            cell = row.cells[index]
            if cell is None:
                return (Decimal(-1), Decimal(-1))
            percent = Decimal(-1) if cell.percent is None else Decimal(cell.percent)
            return (percent, cell.actual)

        # Names first (stable), so equal numbers read alphabetically.
        rows.sort(key=lambda row: str(row.rep).lower())
        rows.sort(key=metric_key, reverse=reverse)
        return sort, direction
    if sort == SORT_LOCAL_TIME:
        rows.sort(
            key=lambda row: (row.local.local_now.utcoffset(), str(row.rep).lower()),
            reverse=reverse,
        )
        return sort, direction
    rows.sort(key=lambda row: str(row.rep).lower(), reverse=reverse)
    return SORT_NAME, direction
