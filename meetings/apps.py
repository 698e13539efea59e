from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from accounts import signals
        from meetings import receivers

        signals.user_deactivated.connect(
            receivers.cancel_meetings_of_deactivated_user,
            dispatch_uid="meetings.cancel_meetings_of_deactivated_user",
        )
        signals.reps_onboarded.connect(
            receivers.book_goal_settings_for_new_reps,
            dispatch_uid="meetings.reps_onboarded",
        )
