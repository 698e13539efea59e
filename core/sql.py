"""Helpers for the few reads written as SQL, for PostgreSQL and SQLite alike.

The reads that every dashboard request makes are written as SQL in their apps
(`activities.tallies.day_values`, `targets.target_shares._target_terms`,
`targets.dashboard.board.dashboard_reps`): building those small queries through the ORM cost
more than running them (docs/performance.md, "Reads written as SQL"). Everything else
uses the ORM.
"""

import decimal
from collections.abc import Sequence

from django.db import connection
from django.db.models import Model

# SQLite hands NUMERIC columns back as an int or a float holding at most 15 significant
# digits (Django's own converter assumes the same); PostgreSQL hands back a Decimal.
_from_sqlite = decimal.Context(prec=15).create_decimal_from_float


def table(model: type[Model]) -> str:
    """The model's table name, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def decimal_reader(model: type[Model], field: str):
    """A function turning the database's value of a DecimalField into the ORM's Decimal."""
    exponent = decimal.Decimal(1).scaleb(-model._meta.get_field(field).decimal_places)

    def read(value) -> decimal.Decimal:
        if isinstance(value, decimal.Decimal):
            return value
        return _from_sqlite(value).quantize(exponent)

    return read


def where_in(column: str, values: Sequence) -> tuple[str, list]:
    """`column IN (%s, …)` and its parameters (there must be values)."""
    if not values:
        raise ValueError("An IN clause needs at least one value.")
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def fetch_rows(sql: str, params: Sequence) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
