"""Events about activity that higher layers react to (connected in their AppConfig.ready)."""

from django.dispatch import Signal

# A rep logged an activity: `activity`. Sent inside the writing transaction.
activity_logged = Signal()
