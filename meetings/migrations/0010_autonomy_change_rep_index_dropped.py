import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import foreign_key_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0009_series_rotation_times"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The unique (rep, reviewed_on) starts with it.
        foreign_key_index_dropped(
            model_name="autonomychange",
            name="rep",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="autonomy_changes",
                to=settings.AUTH_USER_MODEL,
            ),
            table="meetings_autonomychange",
            column="rep_id",
            index="meetings_autonomychange_rep_id_b75e7a22",
        ),
    ]
