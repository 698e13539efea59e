from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from activities.metric_cache import metrics_changed
        from activities.models import Metric

        # A metric saved or deleted in this process is looked up afresh.
        for signal in (post_save, post_delete):
            signal.connect(
                metrics_changed,
                sender=Metric,
                dispatch_uid=f"activities.metrics_changed.{signal is post_save}",
            )
