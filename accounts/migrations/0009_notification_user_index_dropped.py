import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import foreign_key_index_dropped


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_active_reps_index"),
    ]

    operations = [
        # (user, key) and (user, read_at) start with it.
        foreign_key_index_dropped(
            model_name="notification",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to=settings.AUTH_USER_MODEL,
            ),
            table="accounts_notification",
            column="user_id",
            index="accounts_notification_user_id_30e6cfc5",
        ),
    ]
