from django.db import migrations


class Migration(migrations.Migration):
    """The app's first migration; each part (webhooks, calls, calendars) follows it."""

    initial = True
    dependencies = []
    operations = []
