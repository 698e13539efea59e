"""Events about activity that higher layers react to (connected in their AppConfig.ready)."""

from django.dispatch import Signal

# A rep logged an activity: `activity`. Sent once it is written (inside the caller's
# transaction if there is one); work for later belongs in transaction.on_commit.
activity_logged = Signal()
