"""Operations that the project's migrations share."""

from django.db import migrations


def foreign_key_index_dropped(*, model_name, name, field, table, column, index):
    """A foreign key's own index dropped, where another index that starts with its
    column serves its lookups.

    Django's own AlterField to `db_index=False` also drops the foreign key constraint
    and adds it back, which checks every row again under a lock (the notifications of a
    whole organisation): here only the index goes, and comes back on the way down.
    """
    return migrations.SeparateDatabaseAndState(
        state_operations=[
            migrations.AlterField(model_name=model_name, name=name, field=field)
        ],
        database_operations=[
            migrations.RunSQL(
                f'DROP INDEX IF EXISTS "{index}"',
                reverse_sql=f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" '
                f'("{column}")',
            )
        ],
    )
