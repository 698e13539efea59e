"""The dashboard as a spreadsheet: exactly the cells shown, safe to open."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from activities.models import MetricUnit
from targets.dashboard.board import Dashboard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (names are typed in by people)."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def dashboard_csv_rows(dashboard: Dashboard) -> list[list[str]]:
    """The dashboard as CSV rows: exactly the cells, in the order shown, with totals."""

    def number(value: Decimal | None, unit: str) -> str:
        if value is None:
            return ""
        return f"{value:.2f}" if unit == MetricUnit.MONEY else f"{value:.0f}"

    header = [str(_("Rep")), str(_("Team")), str(_("Local time"))]
    for column in dashboard.columns:
        header += [
            f"{column.label} · {_('actual')}",
            f"{column.label} · {_('target')}",
            f"{column.label} · %",
            f"{column.label} · {_('status')}",
        ]
    forecast = _("Month forecast")
    header += [
        f"{forecast} · {_('low')}",
        f"{forecast} · {_('expected')}",
        f"{forecast} · {_('high')}",
        f"{forecast} · {_('quota')}",
        f"{forecast} · {_('at risk')}",
    ]
    # Metric names are typed in by admins: the header is as unsafe as the rows.
    lines = [[spreadsheet_safe(title) for title in header]]

    def cells_of(cells) -> list[str]:
        out = []
        for column, cell in zip(dashboard.columns, cells, strict=True):
            if cell is None:
                out += ["", "", "", ""]
                continue
            out += [
                number(cell.actual, column.unit),
                number(cell.target, column.unit),
                "" if cell.percent is None else str(cell.percent),
                cell.status,
            ]
        return out

    def forecast_of(cell) -> list[str]:
        if cell is None:
            return ["", "", "", "", ""]
        return [
            number(cell.low, cell.unit),
            number(cell.expected, cell.unit),
            number(cell.high, cell.unit),
            number(cell.quota, cell.unit),
            "yes" if cell.at_risk else "no",
        ]

    for row in dashboard.rows:
        lines.append(
            [
                spreadsheet_safe(str(row.rep)),
                spreadsheet_safe(row.team_name),
                row.local.local_now.strftime("%Y-%m-%d %H:%M %Z"),
                *cells_of(row.cells),
                *forecast_of(row.forecast),
            ]
        )
    lines.append(
        [
            str(_("Team total")),
            "",
            "",
            *cells_of(dashboard.totals),
            *forecast_of(dashboard.forecast_total),
        ]
    )
    return lines
