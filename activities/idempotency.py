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
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer

from accounts.models import User
from activities.models import IdempotentRequest
from core.sql import table

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

    One transaction claims the key (an `INSERT … ON CONFLICT DO NOTHING`, so a used key
    costs no exception and no savepoint), runs the write and stores its response: a
    crash leaves neither. A concurrent retry with the same key waits on the claim, finds
    it taken once the first commits, and returns the stored response. Failed writes
    (4xx) roll their claim back, so they are not stored. A key past its time to live
    counts as unused.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            {"idempotency_key": [_("An Idempotency-Key must be 1 to 255 characters.")]}
        )
    for _attempt in range(3):
        with transaction.atomic():
            claim = _claim(user=user, key=key, path=path, fingerprint=fingerprint)
            if claim is not None:
                status, body = write()
                body = json.loads(JSONRenderer().render(body))
                IdempotentRequest.objects.filter(pk=claim).update(
                    status_code=status, response_body=body
                )
                return status, body, False
        stored = IdempotentRequest.objects.filter(user=user, key=key).first()
        if stored is None:
            continue  # swept since the claim failed: claim it afresh
        if stored.created_at < _expired_before(timezone.now()):
            stored.delete()
            continue
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
    raise RuntimeError(f"Idempotency-Key {key!r} could be neither claimed nor read.")


def _claim(*, user: User, key: str, path: str, fingerprint: str) -> int | None:
    """Insert the key's row (its response still to come); its id, or None if taken."""
    key_column = connection.ops.quote_name("key")  # a keyword in SQLite
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(IdempotentRequest)} (user_id, {key_column}, path,"
            " request_fingerprint, status_code, response_body, created_at)"
            " VALUES (%s, %s, %s, %s, 0, %s, %s)"
            " ON CONFLICT (user_id, key) DO NOTHING RETURNING id",
            [
                user.pk,
                key,
                path,
                fingerprint,
                "null",
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def idempotency_keys_sweep(*, now: dt.datetime | None = None) -> int:
    """Delete the keys older than their time to live; returns how many went."""
    expired_before = _expired_before(now or timezone.now())
    deleted, _per_model = IdempotentRequest.objects.filter(
        created_at__lt=expired_before
    ).delete()
    return deleted


def _expired_before(now: dt.datetime) -> dt.datetime:
    return now - settings.IDEMPOTENCY_KEY_TTL
