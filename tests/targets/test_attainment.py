"""targets/attainment.py: the one percent rule."""

from decimal import Decimal

from targets.attainment import percent_of_target


def test_percent_of_target_rounds_down_and_says_none_without_a_target():
    assert percent_of_target(Decimal("6400"), Decimal("10000")) == 64
    assert percent_of_target(Decimal("9999.99"), Decimal("10000")) == 99
    assert percent_of_target(Decimal("2"), Decimal("3")) == 66
    assert percent_of_target(Decimal("30"), Decimal("25")) == 120
    assert percent_of_target(Decimal("5"), None) is None
    assert percent_of_target(Decimal("5"), Decimal("0")) is None
