"""Tables of the integrations, one module per part (webhooks, calls, calendars)."""

from integrations.models.webhooks import (  # noqa: F401
    DeliveryStatus,
    DisabledReason,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
