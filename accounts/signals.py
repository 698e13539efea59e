"""Events about people that higher layers react to (they may not be imported from here).

Receivers live in the reacting app and are connected in that app's `AppConfig.ready`:
`targets` applies the standard targets to new reps, `meetings` books their goal-setting
meeting and cancels a deactivated user's future meetings, `coaching` closes their plans.
Each is sent inside the transaction that made the change, so a receiver's failure undoes
the whole change.
"""

from django.dispatch import Signal

# New reps were onboarded (one by one or by CSV import): `users` (list), `by` (the admin).
reps_onboarded = Signal()
# A user was deactivated (offboarded): `user`, `by`.
user_deactivated = Signal()
