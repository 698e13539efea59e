"""Tables of the integrations, one module per part (webhooks, calls, calendars)."""

from integrations.models.calendars import (  # noqa: F401
    CalendarConnection,
    CalendarEventLink,
    ConnectionStatus,
    LinkKind,
)
from integrations.models.calls import (  # noqa: F401
    CallSource,
    CallSourceKind,
    InboundCall,
    InboundCallStatus,
)
from integrations.models.webhooks import (  # noqa: F401
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
