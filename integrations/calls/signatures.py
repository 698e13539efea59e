"""Who sent a call event: Twilio's X-Twilio-Signature, or a Standard Webhooks signature.

Both are checked with the sender's own library (`twilio`, `standardwebhooks`), so a
request is accepted exactly when the sender's own scheme says it is genuine.
"""

from django.conf import settings
from django.http import HttpRequest
from standardwebhooks import Webhook
from twilio.request_validator import RequestValidator, get_signature_algorithm

TWILIO_SIGNATURE_HEADER = "X-Twilio-Signature"
TWILIO_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"


def public_base_url(request: HttpRequest) -> str:
    """Scheme and host as the outside world calls us, without a trailing slash.

    `INBOUND_PUBLIC_BASE_URL` wins when set; otherwise Django's own view of the
    request, which follows SECURE_PROXY_SSL_HEADER and USE_X_FORWARDED_HOST.
    """
    base = settings.INBOUND_PUBLIC_BASE_URL or request.build_absolute_uri("/")
    return base.rstrip("/")


def public_url(request: HttpRequest) -> str:
    """The full URL the sender called, as it signed it: scheme, host, path and query."""
    return public_base_url(request) + request.get_full_path()


def twilio_signature_valid(*, request: HttpRequest, params, auth_token: str) -> bool:
    """Twilio's signature over the full URL and the sorted POST parameters.

    `params` is the parsed form body (a QueryDict: repeated names count, as Twilio
    signs them). The legacy HMAC-SHA1 with the account's auth token is the default;
    Twilio names another algorithm in X-Twilio-Webhooks-Signature-Settings.
    """
    signature = request.headers.get(TWILIO_SIGNATURE_HEADER, "")
    if not signature or not auth_token:
        return False
    algorithm = get_signature_algorithm(request.headers.get(TWILIO_SETTINGS_HEADER))
    return RequestValidator(auth_token).validate(
        public_url(request), params, signature, algorithm=algorithm
    )


def standard_signature_valid(*, body: bytes, headers, secret: str) -> bool:
    """webhook-id, webhook-timestamp (within 5 minutes) and a v1 HMAC-SHA256 signature
    over "id.timestamp.body" with the source's secret (Standard Webhooks)."""
    if not secret:
        return False
    try:
        Webhook(secret).verify(body, dict(headers), json_parse=False)
    except Exception:  # any malformed header or body is simply not a valid signature
        return False
    return True
