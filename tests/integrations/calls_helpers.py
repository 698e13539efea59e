"""Signed requests as Twilio and a Standard Webhooks sender make them (their libraries)."""

import datetime as dt
import json
import uuid
from urllib.parse import urlencode

from django.urls import reverse
from standardwebhooks import Webhook
from twilio.request_validator import RequestValidator

from integrations.calls.services import call_source_create
from integrations.models import CallSourceKind

AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
REP_NUMBER = "+302101234567"
CUSTOMER = "+14155550100"


def twilio_source(admin, **kwargs):
    return call_source_create(
        name=kwargs.pop("name", "Twilio"),
        kind=CallSourceKind.TWILIO,
        secret=kwargs.pop("secret", AUTH_TOKEN),
        by=admin,
    )


def standard_source(admin, name="Zapier"):
    return call_source_create(name=name, kind=CallSourceKind.STANDARD, by=admin)


def twilio_params(**overrides) -> dict:
    """A completed outbound call's status callback, as Twilio posts it."""
    params = {
        "AccountSid": "AC" + "0" * 32,
        "ApiVersion": "2010-04-01",
        "CallSid": "CA" + uuid.uuid4().hex,
        "CallStatus": "completed",
        "CallDuration": "95",
        "Direction": "outbound-api",
        "From": REP_NUMBER,
        "To": CUSTOMER,
        "CallbackSource": "call-progress-events",
        "SequenceNumber": "0",
    }
    params.update(overrides)
    return {name: value for name, value in params.items() if value is not None}


def twilio_path(source) -> str:
    return reverse("api-inbound-twilio", kwargs={"key": source.key})


def twilio_signature(url: str, params: dict, token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def twilio_post(client, source, params, *, signed_url=None, token=AUTH_TOKEN, **extra):
    """POST as Twilio does: form-encoded, signed over the full URL it called."""
    path = twilio_path(source)
    url = signed_url or f"http://testserver{path}"
    return client.post(
        path,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=twilio_signature(url, params, token),
        **extra,
    )


def standard_path(source) -> str:
    return reverse("api-inbound-call-event", kwargs={"key": source.key})


def standard_headers(secret: str, body: str, *, msg_id=None, at=None) -> dict:
    """The three Standard Webhooks headers, signed with the package's own `sign`."""
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    at = at or dt.datetime.now(tz=dt.UTC)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body),
    }


def standard_post(client, source, event: dict, *, secret=None, body=None, **kwargs):
    body = body if body is not None else json.dumps(event)
    headers = standard_headers(secret or source.secret, body, **kwargs)
    return client.post(
        standard_path(source),
        body,
        content_type="application/json",
        headers=headers,
    )
