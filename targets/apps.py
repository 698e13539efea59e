from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Targets")

    def ready(self) -> None:
        from accounts import signals
        from accounts.onboarding import register_template_names
        from activities.signals import activity_logged
        from targets import receivers

        register_template_names(receivers.template_names)

        activity_logged.connect(
            receivers.refresh_dips_after_activity,
            dispatch_uid="targets.refresh_dips_after_activity",
        )

        # Onboarding (accounts) announces new reps; each gets the standard targets.
        signals.reps_onboarded.connect(
            receivers.apply_standard_targets_to_new_reps,
            dispatch_uid="targets.apply_standard_targets_to_new_reps",
        )
