"""targets.amounts.amount_text: amounts as the dashboard shows them, on every page."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from activities.models import MetricUnit
from targets.amounts import amount_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("869.57"), "870"),  # rounded, as the target is, never cut off
        (Decimal("869.49"), "869"),
        (Decimal("4430.64"), "4,431"),
        (Decimal("20000.00"), "20,000"),
        (Decimal("0.50"), "1"),
        (Decimal(0), "0"),
    ],
)
def test_money_is_rounded_half_up_and_grouped(value, shown):
    with translation.override("en"):
        assert amount_text(value, MetricUnit.MONEY) == shown


def test_counts_are_whole():
    assert amount_text(Decimal("25.00"), MetricUnit.COUNT) == "25"


@pytest.mark.parametrize(("language", "separator"), [("en", ","), ("el", ".")])
def test_counts_of_a_thousand_and_more_are_grouped(language, separator):
    # A team's month of calls, in the dashboard's totals row
    with translation.override(language):
        assert amount_text(Decimal(5234), MetricUnit.COUNT) == f"5{separator}234"
        assert amount_text(1000, MetricUnit.COUNT) == f"1{separator}000"
        assert amount_text(Decimal(999), MetricUnit.COUNT) == "999"


@pytest.mark.parametrize(
    "value", [Decimal("-1234567.5"), Decimal("1234567.49"), 10**12, Decimal(-1000)]
)
@pytest.mark.parametrize("language", ["en", "el"])
def test_grouping_by_threes_says_what_number_format_says(value, language):
    whole = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    with translation.override(language):
        expected = number_format(whole, 0, use_l10n=True, force_grouping=True)
        assert amount_text(value, MetricUnit.MONEY) == expected


def test_a_language_grouping_otherwise_is_formatted_by_django(settings):
    # Grouped as NUMBER_GROUPING says (here the Indian 3, then 2s), not by threes
    settings.NUMBER_GROUPING = (3, 2, 0)
    with translation.override(None):
        assert amount_text(Decimal(1234567), MetricUnit.MONEY) == "12,34,567"
