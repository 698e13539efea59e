from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SalesteamConfig(AppConfig):
    name = "salesteam"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from salesteam.periodic import periodic_tasks_sync

        # Periodic tasks are declared in code; migrate writes them to celery-beat's tables.
        post_migrate.connect(
            lambda sender, **kwargs: periodic_tasks_sync(),
            sender=self,
            weak=False,
            dispatch_uid="salesteam.periodic_tasks_sync",
        )
