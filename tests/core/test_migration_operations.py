"""core.migration_operations: a foreign key's own index dropped, its constraint kept."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db

# (app, migration, table, column): foreign keys led by another index of their table
ACCOUNTS = ("accounts", "0009_notification_user_index_dropped")
COACHING = ("coaching", "0005_plan_rep_and_goal_plan_indexes_dropped")
MEETINGS = ("meetings", "0010_autonomy_change_rep_index_dropped")
TARGETS = ("targets", "0010_flag_and_result_rep_indexes_dropped")
DROPPED = [
    (*ACCOUNTS, "accounts_notification", "user_id"),
    (*COACHING, "meetings_improvementplan", "rep_id"),
    (*COACHING, "meetings_plangoal", "plan_id"),
    (*MEETINGS, "meetings_autonomychange", "rep_id"),
    (*TARGETS, "targets_flag", "rep_id"),
    (*TARGETS, "targets_monthresult", "rep_id"),
]


def constraints_on(table: str, column: str) -> dict:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: spec for name, spec in found.items() if spec["columns"][:1] == [column]
    }


@pytest.mark.parametrize(("app", "migration", "table", "column"), DROPPED)
def test_the_column_has_no_index_of_its_own_but_keeps_its_foreign_key(
    app, migration, table, column
):
    on_column = constraints_on(table, column)
    # Another index (or unique constraint) starts with the column, none is on it alone
    assert any(
        (spec["index"] or spec["unique"]) and len(spec["columns"]) > 1
        for spec in on_column.values()
    )
    assert not [
        name
        for name, spec in on_column.items()
        if spec["columns"] == [column] and spec["index"] and not spec["unique"]
    ]
    if connection.vendor == "postgresql":  # SQLite reports no named foreign keys
        assert any(spec["foreign_key"] for spec in on_column.values())


# Outside a transaction: SQLite's schema editor cannot start inside one.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("app, migration", sorted({row[:2] for row in DROPPED}))
def test_the_migration_drops_the_index_and_nothing_else(app, migration):
    # Django's AlterField would drop the foreign key and add it back, checking every
    # row again under a lock: these only drop an index
    loader = MigrationLoader(connection)
    plan = [(loader.graph.nodes[app, migration], False)]
    statements = [sql for sql in loader.collect_sql(plan) if not sql.startswith("--")]
    assert statements
    assert all(sql.startswith("DROP INDEX IF EXISTS") for sql in statements)
