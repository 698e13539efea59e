"""Tables of the integrations, one module per part (webhooks, calls, calendars)."""

from integrations.models.calendars import (  # noqa: F401
    CalendarConnection,
    CalendarEventLink,
    ConnectionStatus,
    LinkKind,
)
