"""Raw SQL for the few reads that every dashboard request makes.

Building one of these small queries through the ORM costs more than the database takes
to run it (about 1 ms of Python against 0.3 ms in PostgreSQL; docs/performance.md), and
the dashboard makes several on every request. Those reads are written out here, for
both PostgreSQL and SQLite; everything else uses the ORM.
"""

import decimal
from collections.abc import Sequence

from django.db import connection

# SQLite hands NUMERIC columns back as an int or a float holding at most 15 significant
# digits (Django's own converter assumes the same); PostgreSQL hands back a Decimal.
_from_sqlite = decimal.Context(prec=15).create_decimal_from_float


def as_decimal(value, places: int) -> decimal.Decimal:
    """A NUMERIC column's value as the Decimal the ORM would give, with `places` decimals."""
    if isinstance(value, decimal.Decimal):
        return value
    return _from_sqlite(value).quantize(decimal.Decimal(1).scaleb(-places))


def in_list(values: Sequence) -> str:
    """The `(%s, %s, …)` of an IN clause for these values (there must be some)."""
    if not values:
        raise ValueError("An IN clause needs at least one value.")
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def fetch_rows(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
