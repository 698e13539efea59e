from django.db import migrations


def seed_template(apps, schema_editor):
    from targets.seeds import templates_ensure

    templates_ensure(
        apps.get_model("targets", "TargetTemplate"),
        apps.get_model("targets", "TargetTemplateItem"),
        apps.get_model("activities", "Metric"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_initial"),
        ("activities", "0002_seed_metrics"),
    ]

    operations = [migrations.RunPython(seed_template, migrations.RunPython.noop)]
