from django.db import migrations


def seed_template(apps, schema_editor):
    from targets.seeds import templates_ensure

    templates_ensure(
        template_model=apps.get_model("targets", "TargetTemplate"),
        item_model=apps.get_model("targets", "TargetTemplateItem"),
        metric_model=apps.get_model("activities", "Metric"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("targets", "0001_initial"),
        ("activities", "0002_seed_metrics"),
    ]

    operations = [migrations.RunPython(seed_template, migrations.RunPython.noop)]
