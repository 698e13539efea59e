"""Signed webhooks out (Standard Webhooks): what callers use.

Subscriptions: `subscriptions.subscription_create` / `_update` / `_delete`,
`secret_rotate`, `subscription_ping`. Sending: `deliveries.event_fan_out`,
`delivery_attempt`, `delivery_replay`, `webhooks_sweep`. Where a webhook may go:
`addresses.target_check`. What it says: `payloads.EVENT_TYPES`. The subscriber to
`core.events`: `listening.on_event`.
"""
