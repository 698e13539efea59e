import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import foreign_key_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0004_goals_from_db_default"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # (rep, status) starts with it.
        foreign_key_index_dropped(
            model_name="improvementplan",
            name="rep",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="improvement_plans",
                to=settings.AUTH_USER_MODEL,
            ),
            table="meetings_improvementplan",
            column="rep_id",
            index="meetings_improvementplan_rep_id_44d16a72",
        ),
        # (plan, metric) starts with it.
        foreign_key_index_dropped(
            model_name="plangoal",
            name="plan",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="goals",
                to="coaching.improvementplan",
            ),
            table="meetings_plangoal",
            column="plan_id",
            index="meetings_plangoal_plan_id_2d6f8f8a",
        ),
    ]
