"""An actual or target amount as the dashboard shows it (pages, notifications, errors)."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format, number_format

from activities.models import MetricUnit


def amount_text(value: Decimal | int, unit: str) -> str:
    """Whole counts ("25", "5,234"), money grouped without cents ("20,000"), rounded
    half up as targets are.

    Most counts are under a thousand: plain formatting is enough for those (and much
    cheaper than localising each of a big dashboard's many cells).
    """
    if unit != MetricUnit.MONEY and -1000 < value < 1000:
        return f"{value:.0f}"
    # number_format would cut the cents off (€869.57 read "869" on one page and "870"
    # on another).
    whole = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if get_format("NUMBER_GROUPING") == 3:
        # Groups of three, as in every language we ship: Python's own grouping, at a
        # fifth of number_format's cost (a review writes thousands of amounts).
        return f"{int(whole):,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    return number_format(whole, 0, use_l10n=True, force_grouping=True)
