"""Attainment cells ("actual / target" and percent) and whole dashboard rows.

A dashboard of many reps has many cells; formatting them in Python instead of in a
per-cell `{% include %}` keeps the page about as cheap as a plain one.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.models import MetricUnit
from targets.amounts import amount_text

register = template.Library()


def _number(value, money: bool) -> str:
    return amount_text(value, MetricUnit.MONEY if money else MetricUnit.COUNT)


@register.filter
def amount_in(value, unit: str) -> str:
    """An actual or target as the dashboard shows it: whole counts, grouped money."""
    return amount_text(value, unit)


@register.filter
def attainment_cell(cell) -> str:
    """ "349 / 525" and "66 %" below it; a dash when the metric is not shown."""
    if cell is None:
        return "—"
    money = cell.unit == "money"
    text = _number(cell.actual, money)
    if cell.target is not None:
        text = f"{text} / {_number(cell.target, money)}"
    if cell.percent is None:
        return text
    return format_html(
        '{} <span class="small text-body-secondary d-block">{} %</span>',
        text,
        cell.percent,
    )


@register.filter
def attainment_cells(cells) -> str:
    """A dashboard row's cells as table cells, coloured by status.

    One filter for the whole row: at a few hundred reps the template engine's per-cell
    lookups would otherwise be most of the page's time.
    """
    return format_html_join(
        "",
        '<td class="text-nowrap{}" data-testid="cell-{}">{}</td>',
        (
            (
                f" status-{cell.status}" if cell else "",
                cell.metric if cell else "none",
                attainment_cell(cell),
            )
            for cell in cells
        ),
    )


ROW = (
    '<tr data-testid="dashboard-row" data-rep="{pk}">'
    '<th scope="row" class="fw-normal">'
    '<a href="{url}" data-testid="rep-link">{name}</a> {team}'
    '<span class="small text-body-secondary d-block d-md-none">{local_time}</span>'
    " {badges}</th>"
    '<td class="text-nowrap small d-none d-md-table-cell">'
    '<span class="badge text-bg-light border{working_border}" title="{zone}">'
    "{working}{local_time}</span></td>"
    "{cells}{forecast}<td>{sparkline}</td></tr>"
)
SPARKLINE = (
    '<svg width="70" height="20" viewBox="0 0 70 20" role="img" aria-label="{}">'
    '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>'
)
BADGE = '<span class="badge text-bg-{}" data-testid="badge-{}">{}</span>'
FORECAST = (
    '<td class="text-nowrap{risk}" data-testid="cell-forecast">{expected}{range}{badge}'
    "</td>"
)
FORECAST_RANGE = '<span class="small text-body-secondary d-block">{} – {}</span>'

AT_RISK = (
    '<span class="d-block"><span class="badge text-bg-warning" '
    'data-testid="forecast-at-risk"><i class="bi bi-exclamation-triangle" '
    'aria-hidden="true"></i> {}</span></span>'
)


def forecast_cell(cell, *, at_risk_text: str) -> SafeString:
    """A month forecast as a table cell: "expected / quota", the range below it (unless
    it has no spread), and an "at risk" badge (with the cell in the "behind" colour)
    when even the upper end falls short; a dash without a forecast."""
    if cell is None:
        return mark_safe(
            '<td data-testid="cell-forecast">—</td>'
        )  # a constant, nothing to escape
    money = cell.unit == "money"
    expected = _number(cell.expected, money)
    if cell.quota is not None:
        expected = f"{expected} / {_number(cell.quota, money)}"
    return format_html(
        FORECAST,
        risk=" status-behind" if cell.at_risk else "",
        expected=expected,
        range=format_html(
            FORECAST_RANGE, _number(cell.low, money), _number(cell.high, money)
        )
        if cell.low != cell.high
        else "",
        badge=format_html(AT_RISK, at_risk_text) if cell.at_risk else "",
    )


@register.filter
def forecast_total_cell(cell) -> str:
    """The team's forecast, as `forecast_cell`."""
    return forecast_cell(cell, at_risk_text=_("At risk"))


@register.simple_tag
def dashboard_rows(dashboard) -> SafeString:
    """The dashboard's table body: one row per rep, formatted in Python.

    Each row has a dozen lookups, badges and a sparkline; through the template engine
    the rows cost as much as the rest of the page together (docs/performance.md).
    """
    show_team = dashboard.team is None
    texts = {
        "unagreed": _("Targets not agreed"),
        "plan": _("Improvement plan"),
        "working": _("working now"),
        "at_risk": _("At risk"),
    }
    return format_html_join(
        "",
        "{}",
        ((_row(row, show_team=show_team, texts=texts),) for row in dashboard.rows),
    )


def _row(row, *, show_team: bool, texts: dict[str, str]) -> SafeString:
    rep = row.rep
    badges = []  # (colour, test id, text)
    if row.pending_acknowledgement:
        badges.append(("warning", "unagreed", texts["unagreed"]))
    if row.open_flags:
        flags = ngettext(
            "%(counter)s open flag", "%(counter)s open flags", row.open_flags
        ) % {"counter": row.open_flags}
        badges.append(("danger", "flags", flags))
    if row.open_plan:
        badges.append(("dark", "plan", texts["plan"]))
    ramp = row.attainment.ramp and row.attainment.ramp.status_on(
        row.local.local_now.date()
    )
    if ramp:
        badges.append(
            (
                "info",
                "ramp",
                _("Ramp week %(week)s of %(weeks)s")
                % {"week": ramp.week, "weeks": ramp.weeks},
            )
        )
    working = row.local.working_now
    return format_html(
        ROW,
        pk=rep.pk,
        url=reverse("targets:rep_results", args=[rep.pk]),
        name=str(rep),
        team=format_html(
            '<span class="small text-body-secondary d-block">{}</span>', row.team_name
        )
        if show_team
        else "",
        local_time=row.local.local_time_label,
        badges=format_html_join(" ", BADGE, badges),
        working_border=" border-success" if working else "",
        zone=rep.timezone,
        working=format_html(
            '<i class="bi bi-circle-fill text-success small" aria-label="{}"></i> ',
            texts["working"],
        )
        if working
        else "",
        cells=attainment_cells(row.cells),
        forecast=forecast_cell(row.forecast, at_risk_text=texts["at_risk"]),
        sparkline=format_html(
            SPARKLINE,
            ", ".join(str(value) for value in row.sparkline),
            row.sparkline_points,
        )
        if row.sparkline
        else "",
    )
