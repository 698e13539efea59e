"""Tables of the integrations, one module per part (webhooks, calls, calendars)."""
