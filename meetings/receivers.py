"""Reactions to events from lower layers; connected in `MeetingsConfig.ready`."""

from meetings import lifecycle
from meetings.plans import plans_close_for_leaver
from meetings.tasks import book_goal_settings
from salesteam.queueing import enqueue_on_commit


def cancel_meetings_of_deactivated_user(sender, *, user, by=None, **kwargs) -> None:
    lifecycle.meetings_cancel_future_for(user=user)
    plans_close_for_leaver(user=user)


def queue_goal_settings(users) -> None:
    """New reps get a goal-setting meeting, booked by a worker after onboarding commits.

    Booking searches calendars, so it stays out of the onboarding transaction (a CSV
    import of hundreds of reps must not wait on it); the hourly sweep is the retry.
    """
    rep_ids = [user.pk for user in users if user.is_rep and user.team_id]
    if rep_ids:
        enqueue_on_commit(book_goal_settings, rep_ids)


def book_goal_settings_for_new_reps(sender, *, users=(), by=None, **kwargs) -> None:
    """`accounts.signals.reps_onboarded` (a list of users, one by one or by CSV import)."""
    queue_goal_settings(users)


def book_goal_setting_for_new_rep(sender, *, user, by=None, **kwargs) -> None:
    """`accounts.signals.rep_onboarded` (one user), if accounts sends that form."""
    queue_goal_settings([user])
