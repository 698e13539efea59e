"""salesteam/sql.py: the helpers of the few reads written as SQL."""

from decimal import Decimal

import pytest

from salesteam.sql import as_decimal, fetch_rows, in_list


def test_as_decimal_gives_what_the_orm_gives_on_either_database():
    assert as_decimal(Decimal("19999.99"), 2) == Decimal("19999.99")  # PostgreSQL
    # SQLite: a float with at most 15 significant digits, or an int
    assert str(as_decimal(19999.99, 2)) == "19999.99"
    assert str(as_decimal(0.1, 2)) == "0.10"
    assert str(as_decimal(5, 2)) == "5.00"


def test_in_list_has_a_placeholder_per_value_and_refuses_none():
    assert in_list([1, 2, 3]) == "(%s, %s, %s)"
    with pytest.raises(ValueError):
        in_list([])


@pytest.mark.django_db
def test_fetch_rows_passes_parameters():
    assert fetch_rows(f"SELECT 1 WHERE 2 IN {in_list([1, 2])}", [1, 2]) == [(1,)]
