from django.db import migrations


def seed_metrics(apps, schema_editor):
    from activities.seeds import metrics_ensure

    metrics_ensure(apps.get_model("activities", "Metric"))


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed_metrics, migrations.RunPython.noop)]
