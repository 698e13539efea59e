"""One filter that renders an attainment cell ("actual / target" and percent).

A dashboard of many reps has many cells; formatting them in Python instead of in a
per-cell `{% include %}` keeps the page about as cheap as a plain one.
"""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

register = template.Library()


def _number(value, money: bool) -> str:
    # Counts are small whole numbers: plain formatting is enough (and much cheaper
    # than localising each of a big dashboard's many cells).
    if not money:
        return f"{value:.0f}"
    return number_format(value, 0, use_l10n=True, force_grouping=True)


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
