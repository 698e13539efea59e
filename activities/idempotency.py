"""Idempotency-Key support for API writes: a retry returns the first response.

A key belongs to one user, one endpoint and one request body (kept as a SHA-256
fingerprint). The same key with another body is a 422, not a replay: replaying would
answer 201 for a write that never happened. Keys live `IDEMPOTENCY_KEY_TTL` (24 hours),
after which `idempotency_keys_sweep` deletes them and the key may be used afresh.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer

from accounts.models import User
from activities.models import IdempotentRequest

MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = {
        "idempotency_key": [
            _(
                "This Idempotency-Key was already used with a different request body. "
                "Use a new key for a new request."
            )
        ]
    }


def request_fingerprint(payload: object) -> str:
    """SHA-256 of the request body as canonical JSON (key order and spacing ignored)."""
    if hasattr(payload, "lists"):  # a QueryDict from a form-encoded body
        payload = dict(payload.lists())
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent(
    *,
    user: User,
    key: str,
    path: str,
    write: Callable[[], tuple[int, object]],
    fingerprint: str = "",
) -> tuple[int, object, bool]:
    """Run `write` once per (user, key); returns (status, body, replayed).

    The write and the stored response commit together, so a crash leaves neither; a
    concurrent retry with the same key hits the unique constraint, rolls its own write
    back and returns the stored response. Failed writes (4xx) are not stored. A key
    past its time to live counts as unused.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            {"idempotency_key": [_("An Idempotency-Key must be 1 to 255 characters.")]}
        )
    stored = IdempotentRequest.objects.filter(user=user, key=key).first()
    if stored is not None and stored.created_at < _expired_before(timezone.now()):
        stored.delete()
        stored = None
    if stored is None:
        try:
            with transaction.atomic():
                status, body = write()
                body = json.loads(JSONRenderer().render(body))
                IdempotentRequest.objects.create(
                    user=user,
                    key=key,
                    path=path,
                    request_fingerprint=fingerprint,
                    status_code=status,
                    response_body=body,
                )
            return status, body, False
        except IntegrityError:
            stored = IdempotentRequest.objects.filter(user=user, key=key).first()
            if stored is None:
                raise
    if stored.path != path:
        raise ValidationError(
            {
                "idempotency_key": [
                    _("This Idempotency-Key was already used for another endpoint.")
                ]
            }
        )
    # Keys stored before fingerprints were kept have none: they replay as before.
    if stored.request_fingerprint and stored.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return stored.status_code, stored.response_body, True


def idempotency_keys_sweep(*, now: dt.datetime | None = None) -> int:
    """Delete the keys older than their time to live; returns how many went."""
    expired_before = _expired_before(now or timezone.now())
    deleted, _per_model = IdempotentRequest.objects.filter(
        created_at__lt=expired_before
    ).delete()
    return deleted


def _expired_before(now: dt.datetime) -> dt.datetime:
    return now - settings.IDEMPOTENCY_KEY_TTL
