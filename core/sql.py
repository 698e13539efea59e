"""Helpers for the few reads written as SQL, for PostgreSQL and SQLite alike.

The reads that every dashboard request makes are written as SQL in their apps
(`activities.tallies.day_values`, `targets.target_shares._target_terms`,
`targets.dashboard.board.dashboard_reps`): building those small queries through the ORM cost
more than running them (docs/performance.md, "Reads written as SQL"). Everything else
uses the ORM.
"""

import decimal
from collections.abc import Sequence

from django.db import NotSupportedError, connection
from django.db.models import Model
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery

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


def insert_new(rows: Sequence[Model], *, key: Sequence[str]) -> list[Model]:
    """Insert these unsaved rows of one model, skipping any that a unique constraint
    already holds, and return those inserted, with their primary keys set.

    What `bulk_create(ignore_conflicts=True)` does (`INSERT … ON CONFLICT DO NOTHING`),
    in one statement a batch with `RETURNING`: the ORM sets no keys when it ignores
    conflicts, so it needs a read before and one after to tell the new rows (a review
    chunk writes hundreds of flags and notifications). `key` names the fields of the
    unique constraint that tells the rows apart. The statement is the ORM's own
    (`bulk_create`'s `UNNEST` of one array a column on PostgreSQL, which plans in a
    fraction of the time of thousands of parameters); PostgreSQL and SQLite 3.35+.
    """
    if not rows:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:
        # Django's own error for a backend without the feature (SQLite before 3.35).
        raise NotSupportedError("insert_new needs INSERT … RETURNING of many rows.")
    model = type(rows[0])
    meta = model._meta
    fields = [
        field
        for field in meta.concrete_fields
        if field is not meta.auto_field and not field.generated
    ]
    key_fields = [meta.get_field(name) for name in key]
    waiting: dict[tuple, list[Model]] = {}
    for row in rows:
        row._prepare_related_fields_for_save(operation_name="insert_new")
        key_values = tuple(getattr(row, field.attname) for field in key_fields)
        waiting.setdefault(key_values, []).append(row)
    read_key = _reader(meta, key_fields)
    inserted = []
    size = connection.ops.bulk_batch_size(fields, rows)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            query = InsertQuery(model, on_conflict=OnConflict.IGNORE)
            query.insert_values(fields, rows[start : start + size])
            compiler = query.get_compiler(connection=connection)
            compiler.returning_fields = [meta.pk, *key_fields]
            [(sql, params)] = compiler.as_sql()
            cursor.execute(sql, params)
            for pk, *key_values in cursor.fetchall():
                row = waiting[read_key(key_values)].pop(0)
                row.pk = pk
                row._state.adding = False
                row._state.db = connection.alias
                inserted.append(row)
    return inserted


def _reader(meta, fields) -> object:
    """Turns the database's values of these fields into the ORM's (a date, not text)."""
    columns = [field.get_col(meta.db_table) for field in fields]
    converters = [
        connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        for column in columns
    ]

    def read(values) -> tuple:
        converted = []
        for value, column, column_converters in zip(
            values, columns, converters, strict=True
        ):
            for converter in column_converters:
                value = converter(value, column, connection)
            converted.append(value)
        return tuple(converted)

    return read
