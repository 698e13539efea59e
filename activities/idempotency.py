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
from django.core.serializers.json import DjangoJSONEncoder
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

    One transaction runs the write and then stores its response with an `INSERT … ON
    CONFLICT DO NOTHING`: the first use of a key costs that one statement more than the
    write (no lookup before it, no savepoint, no exception), and a crash leaves neither.
    A key already stored (a retry, or a concurrent retry that waited on the first's
    commit) rolls the write back and returns the stored response; so does a retry whose
    write now fails, as the first response is the answer to it. Failed writes (4xx) are
    not stored. A key past its time to live counts as unused.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            {"idempotency_key": [_("An Idempotency-Key must be 1 to 255 characters.")]}
        )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                status, body = write()
                body = json.loads(JSONRenderer().render(body))
                if _store(
                    user=user,
                    key=key,
                    path=path,
                    fingerprint=fingerprint,
                    status=status,
                    body=body,
                ):
                    return status, body, False
                raise _KeyTaken
        except _KeyTaken:
            pass
        except Exception:
            # The write failed: the answer to a retry is still the first response.
            stored = _stored(user=user, key=key)
            if stored is None:
                raise
            return _replay(stored, path=path, fingerprint=fingerprint)
        stored = _stored(user=user, key=key)
        if stored is not None:
            return _replay(stored, path=path, fingerprint=fingerprint)
    raise RuntimeError(f"Idempotency-Key {key!r} could be neither stored nor read.")


class _KeyTaken(Exception):
    """The key is stored already: roll this write back."""


def _stored(*, user: User, key: str) -> IdempotentRequest | None:
    """The key's stored response, unless it has expired (then it is deleted)."""
    stored = IdempotentRequest.objects.filter(user=user, key=key).first()
    if stored is not None and stored.created_at < _expired_before(timezone.now()):
        stored.delete()
        return None
    return stored


def _replay(
    stored: IdempotentRequest, *, path: str, fingerprint: str
) -> tuple[int, object, bool]:
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


def _store(
    *, user: User, key: str, path: str, fingerprint: str, status: int, body: object
) -> bool:
    """Store the response under the key; False (nothing written) if it is taken."""
    key_column = connection.ops.quote_name("key")  # a keyword in SQLite
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table(IdempotentRequest)} (user_id, {key_column}, path,"
            " request_fingerprint, status_code, response_body, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (user_id, key) DO NOTHING RETURNING id",
            [
                user.pk,
                key,
                path,
                fingerprint,
                status,
                json.dumps(body, cls=DjangoJSONEncoder),
                connection.ops.adapt_datetimefield_value(timezone.now()),
            ],
        )
        return cursor.fetchone() is not None


def idempotency_keys_sweep(*, now: dt.datetime | None = None) -> int:
    """Delete the keys older than their time to live; returns how many went."""
    expired_before = _expired_before(now or timezone.now())
    deleted, _per_model = IdempotentRequest.objects.filter(
        created_at__lt=expired_before
    ).delete()
    return deleted


def _expired_before(now: dt.datetime) -> dt.datetime:
    return now - settings.IDEMPOTENCY_KEY_TTL
