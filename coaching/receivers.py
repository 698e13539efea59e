"""Reactions to events from lower layers; connected in `CoachingConfig.ready`."""

from coaching.services.plans import plans_close_for_leaver


def close_plans_of_deactivated_user(sender, *, user, by=None, **kwargs) -> None:
    plans_close_for_leaver(user=user)
