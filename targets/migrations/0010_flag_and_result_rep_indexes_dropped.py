import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import foreign_key_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0009_ramp_change_template"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The unique (rep, kind, metric, period_start) and (rep, status) start with it.
        foreign_key_index_dropped(
            model_name="flag",
            name="rep",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="flags",
                to=settings.AUTH_USER_MODEL,
            ),
            table="targets_flag",
            column="rep_id",
            index="targets_flag_rep_id_c6c6b17d",
        ),
        # The unique (rep, month_start) starts with it.
        foreign_key_index_dropped(
            model_name="monthresult",
            name="rep",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="month_results",
                to=settings.AUTH_USER_MODEL,
            ),
            table="targets_monthresult",
            column="rep_id",
            index="targets_monthresult_rep_id_bfc8b2ca",
        ),
    ]
