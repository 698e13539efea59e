"""The messages in the OpenAPI schema: one callback per event type, with an example.

OpenAPI 3.0 has no top-level `webhooks` (3.1 has), so each message is a callback of
`POST /api/v1/webhook-subscriptions/` to the `url` in its body: the envelope's schema
(`type`, `version`, `timestamp`, `data`), the three Standard Webhooks headers and an
example payload, with no vendor extension. (drf-spectacular gives a callback no header
parameters, so the headers are in its description.)
"""

from drf_spectacular.utils import (
    OpenApiCallback,
    OpenApiExample,
    extend_schema,
)
from rest_framework import serializers

from integrations.webhooks.payloads import EVENT_TYPES, PAYLOAD_VERSION

HEADERS_DESCRIPTION = (
    "Signed after Standard Webhooks: `webhook-id` (the message id, the same on every "
    "retry and replay: use it to process a message once), `webhook-timestamp` (Unix "
    "seconds of this attempt) and `webhook-signature` (`v1,` and the base64 HMAC-SHA256 "
    "of `{id}.{timestamp}.{body}` keyed with the secret's bytes after `whsec_`; two "
    "space-separated signatures while a rotated secret is in its grace period). Answer "
    "with any 2xx within 5 seconds; anything else is retried with exponential backoff "
    "for about a day. Redirects are not followed."
)

REP = {"id": 42, "email": "eleni@example.com", "name": "Eleni Papadopoulou"}
MANAGER = {"id": 7, "email": "mark@example.com", "name": "Mark Miller"}
DATA_EXAMPLES = {
    "activity.logged": {
        "id": 1001,
        "rep": REP,
        "metric": "calls",
        "quantity": 1,
        "outcome": "connected",
        "occurred_at": "2026-12-01T06:55:00Z",
        "local_date": "2026-12-01",
        "contact_id": None,
        "note": "",
        "source": "web",
    },
    "deal.won": {
        "id": 310,
        "rep": REP,
        "title": "Acme renewal",
        "amount": "12400.00",
        "currency": "EUR",
        "closed_at": "2026-12-01T12:30:00Z",
        "local_date": "2026-12-01",
        "contact_id": 88,
        "source": "api",
    },
    "target.agreed": {
        "rep": REP,
        "targets": [
            {
                "id": 501,
                "metric": "calls",
                "period": "day",
                "amount": "25.00",
                "effective_from": "2026-12-02",
                "effective_until": None,
                "set_by_id": 7,
                "agreed_at": None,
            }
        ],
    },
    "flag.raised": {
        "id": 77,
        "rep": REP,
        "kind": "below_quota",
        "status": "open",
        "metric": "revenue",
        "period": "month",
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
        "target": "20000.00",
        "actual": "12800.00",
        "percent": 64,
        "raised_at": "2026-12-01T00:05:00Z",
        "resolved_at": None,
    },
    "plan.opened": {
        "id": 12,
        "rep": REP,
        "status": "open",
        "flag_id": 77,
        "opened_at": "2026-12-01T00:05:00Z",
        "review_until": "2027-01-31",
        "closed_at": None,
        "close_reason": "",
        "meeting_id": 930,
    },
    "kudos.given": {
        "id": 64,
        "rep": REP,
        "given_by": MANAGER,
        "message": "Three months on quota: well done!",
        "is_system": False,
        "period_start": None,
        "streak": None,
        "given_at": "2026-12-01T14:00:00Z",
    },
    "meeting.scheduled": {
        "id": 930,
        "kind": "one_on_one",
        "title": "One-on-one: Eleni and Mark",
        "status": "scheduled",
        "starts_at": "2026-12-02T14:00:00Z",
        "ends_at": "2026-12-02T14:30:00Z",
        "duration_minutes": 30,
        "organiser": MANAGER,
        "rep": REP,
        "team_id": 3,
        "series_id": None,
        "participants": [MANAGER, REP],
        "video_url": "https://meet.jit.si/salesteam-4f9c2a",
    },
    "person.onboarded": {
        "id": 43,
        "email": "nikos@example.com",
        "first_name": "Nikos",
        "last_name": "Georgiou",
        "role": "rep",
        "team_id": 3,
        "timezone": "Europe/Athens",
        "start_date": "2026-12-07",
        "language": "el",
    },
}
DATA_EXAMPLES["flag.resolved"] = DATA_EXAMPLES["flag.raised"] | {
    "status": "resolved",
    "resolved_at": "2026-12-20T16:10:00Z",
}
DATA_EXAMPLES["plan.closed"] = DATA_EXAMPLES["plan.opened"] | {
    "status": "closed",
    "closed_at": "2027-02-01T00:05:00Z",
    "close_reason": "Back on quota.",
}
DATA_EXAMPLES["meeting.rescheduled"] = DATA_EXAMPLES["meeting.scheduled"] | {
    "starts_at": "2026-12-03T15:00:00Z",
    "ends_at": "2026-12-03T15:30:00Z",
}
DATA_EXAMPLES["meeting.cancelled"] = DATA_EXAMPLES["meeting.scheduled"] | {
    "status": "cancelled"
}


def example_payload(event: str) -> dict:
    return {
        "type": event,
        "version": PAYLOAD_VERSION,
        "timestamp": "2026-12-01T06:55:00.123456Z",
        "data": DATA_EXAMPLES[event],
    }


def envelope_serializer(event: str) -> type[serializers.Serializer]:
    """`{Event}Webhook`: the envelope of one event type, with its `data`."""
    event_type = EVENT_TYPES[event]
    name = "".join(part.capitalize() for part in event.replace(".", "_").split("_"))
    return type(
        f"{name}WebhookSerializer",
        (serializers.Serializer,),
        {
            "type": serializers.ChoiceField(choices=[event]),
            "version": serializers.CharField(
                help_text=f"Payload version: {PAYLOAD_VERSION}."
            ),
            "timestamp": serializers.DateTimeField(),
            "data": event_type.serializer(),
            "__doc__": str(event_type.description),
            "__module__": __name__,
        },
    )


def webhook_callbacks() -> list[OpenApiCallback]:
    return [
        OpenApiCallback(
            name=event,
            path="{$request.body#/url}",
            decorator=extend_schema(
                summary=f"{event}: {event_type.description}",
                description=HEADERS_DESCRIPTION,
                request={"application/json": envelope_serializer(event)},
                examples=[OpenApiExample(event, value=example_payload(event))],
                responses={200: None},
            ),
        )
        for event, event_type in EVENT_TYPES.items()
    ]
