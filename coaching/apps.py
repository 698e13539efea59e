from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from accounts import signals
        from coaching import receivers
        from targets.results_panels import results_panel_register

        signals.user_deactivated.connect(
            receivers.close_plans_of_deactivated_user,
            dispatch_uid="coaching.close_plans_of_deactivated_user",
        )
        # The diagnosis panel on every rep's results page (the drill-down and "My results").
        results_panel_register("diagnosis:panel")
