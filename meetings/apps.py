from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from accounts import serializers, signals
        from meetings import receivers
        from meetings.api.calendar_feed import calendar_feed_url

        # /api/v1/me/ shows the feed's address; accounts may not import meetings.
        serializers.calendar_feed_url = calendar_feed_url

        signals.user_deactivated.connect(
            receivers.cancel_meetings_of_deactivated_user,
            dispatch_uid="meetings.cancel_meetings_of_deactivated_user",
        )
        signals.reps_onboarded.connect(
            receivers.book_goal_settings_for_new_reps,
            dispatch_uid="meetings.reps_onboarded",
        )
