"""The admin's activity list reads its page in order by an index (issue 18)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_source_dialer"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                fields=["-occurred_at", "-id"], name="activity_newest_first"
            ),
        ),
    ]
