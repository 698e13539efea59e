from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from accounts import signals
        from coaching import receivers

        signals.user_deactivated.connect(
            receivers.close_plans_of_deactivated_user,
            dispatch_uid="coaching.close_plans_of_deactivated_user",
        )
