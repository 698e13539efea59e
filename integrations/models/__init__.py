"""Tables of the integrations, one module per part (webhooks, calls, calendars)."""

from integrations.models.calls import (  # noqa: F401
    CallSource,
    CallSourceKind,
    InboundCall,
    InboundCallStatus,
)
