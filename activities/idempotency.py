"""Idempotency-Key support for API writes: a retry returns the first response."""

import json
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.renderers import JSONRenderer

from accounts.models import User
from activities.models import IdempotentRequest

MAX_KEY_LENGTH = 255


def idempotent(
    *, user: User, key: str, path: str, write: Callable[[], tuple[int, object]]
) -> tuple[int, object, bool]:
    """Run `write` once per (user, key); returns (status, body, replayed).

    The write and the stored response commit together, so a crash leaves neither; a
    concurrent retry with the same key hits the unique constraint, rolls its own write
    back and returns the stored response. Failed writes (4xx) are not stored.
    """
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationError(
            {"idempotency_key": [_("An Idempotency-Key must be 1 to 255 characters.")]}
        )
    stored = IdempotentRequest.objects.filter(user=user, key=key).first()
    if stored is None:
        try:
            with transaction.atomic():
                status, body = write()
                body = json.loads(JSONRenderer().render(body))
                IdempotentRequest.objects.create(
                    user=user,
                    key=key,
                    path=path,
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
    return stored.status_code, stored.response_body, True
