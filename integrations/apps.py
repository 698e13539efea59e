from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """The team's other tools: signed webhooks out, call events in, CalDAV calendars."""

    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self) -> None:
        # Each part subscribes to core.events here.
        from core import events
        from integrations.calendars import receivers as calendar_receivers
        from integrations.webhooks import listening
        from integrations.webhooks import tasks as webhook_tasks  # noqa: F401 (registers)

        events.subscribe(listening.on_event)
        events.subscribe(calendar_receivers.meeting_changed)
