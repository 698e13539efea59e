import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The index Django made for the foreign key (its name is derived from the table and column).
REP_INDEX = "activities_daytally_rep_id_f680a7b1"


class Migration(migrations.Migration):
    """Drop the index on `day_tally.rep` alone: the (rep, local_date) index covers it.

    Only the index goes. A plain AlterField would also drop and re-add the foreign key,
    which re-checks every tally while the table is locked.
    """

    dependencies = [
        ("activities", "0002_seed_metrics"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="daytally",
                    name="rep",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="day_tallies",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{REP_INDEX}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{REP_INDEX}" '
                    'ON "activities_daytally" ("rep_id")',
                ),
            ],
        ),
    ]
