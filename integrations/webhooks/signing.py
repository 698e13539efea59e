"""Standard Webhooks signatures: `whsec_` secrets and the `webhook-*` headers.

The signature is HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with the
secret's bytes, as the `standardwebhooks` package signs it. While a rotated secret is in
its grace period, the message carries both signatures, space-separated, newest first.
"""

import base64
import datetime as dt
import secrets

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def secret_new() -> str:
    """A fresh secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature_header(
    *, secrets_in_force: list[str], message_id: str, at: dt.datetime, body: str
) -> str:
    """The `webhook-signature` value: `v1,<base64>` for each secret, space-separated."""
    at = at.astimezone(dt.UTC)
    return " ".join(
        Webhook(secret).sign(msg_id=message_id, timestamp=at, data=body)
        for secret in secrets_in_force
    )


def signed_headers(
    *, secrets_in_force: list[str], message_id: str, at: dt.datetime, body: str
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature_header(
            secrets_in_force=secrets_in_force, message_id=message_id, at=at, body=body
        ),
    }
