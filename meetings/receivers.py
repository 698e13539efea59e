"""Reactions to events from lower layers; connected in `MeetingsConfig.ready`."""

from core.queueing import enqueue_on_commit
from meetings import lifecycle
from meetings.tasks import book_goal_settings


def cancel_meetings_of_deactivated_user(sender, *, user, by=None, **kwargs) -> None:
    lifecycle.meetings_cancel_future_for(user=user)


def book_goal_settings_for_new_reps(sender, *, users=(), by=None, **kwargs) -> None:
    """New reps (one by one or by CSV import) get a goal-setting meeting after commit.

    Booking searches calendars, so it stays out of the onboarding transaction (a CSV
    import of hundreds of reps must not wait on it); the hourly sweep is the retry.
    """
    rep_ids = [user.pk for user in users if user.is_rep and user.team_id]
    if rep_ids:
        enqueue_on_commit(book_goal_settings, rep_ids)
