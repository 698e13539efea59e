"""Events about people that higher layers react to (they may not be imported from here).

Receivers live in the reacting app (e.g. `meetings` cancels a deactivated user's future
meetings) and are connected in that app's `AppConfig.ready`.
"""

from django.dispatch import Signal

# Sent inside the deactivating transaction, with `user` and `by` (the admin).
user_deactivated = Signal()
# Sent inside the reactivating transaction, with `user` and `by`.
user_reactivated = Signal()
