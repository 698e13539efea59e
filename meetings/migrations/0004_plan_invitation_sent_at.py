from django.db import migrations, models
from django.db.models import F


def mark_existing_invitations_sent(apps, schema_editor):
    """One-on-ones booked before this field were invited when they were booked."""
    plan = apps.get_model("meetings", "ImprovementPlan")
    plan.objects.filter(meeting__isnull=False).update(
        invitation_sent_at=F("opened_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_plan_booking_failed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="improvementplan",
            name="invitation_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(mark_existing_invitations_sent, migrations.RunPython.noop),
    ]
