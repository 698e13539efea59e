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
        # Onboarding (accounts) announces new reps; each gets a goal-setting meeting.
        # Connected by name so meetings works whichever form accounts sends.
        for name, receiver in [
            ("reps_onboarded", receivers.book_goal_settings_for_new_reps),
            ("rep_onboarded", receivers.book_goal_setting_for_new_rep),
        ]:
            signal = getattr(signals, name, None)
            if signal is not None:
                signal.connect(receiver, dispatch_uid=f"meetings.{name}")
