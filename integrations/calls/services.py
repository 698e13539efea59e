"""Writing call events: each once per (source, external id), logged or kept unmatched.

A call whose rep is found (an active person with that phone number or email) is logged
through `activities.services.activity_log` in the same transaction as the call row, so
the call and its activity commit together or not at all. The unique constraint on
(source, external id) makes a retry, even a concurrent one, a duplicate: the second
insert waits for the first and then finds its row.
"""

import base64
import binascii
import datetime as dt
import email.utils
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.validators import phone_normalised
from activities.models import CallOutcome, Source
from activities.services import activity_log
from integrations.calls import selectors
from integrations.models import (
    CallSource,
    CallSourceKind,
    InboundCall,
    InboundCallStatus,
)

# Twilio's final call statuses; earlier events (initiated, ringing, …) log nothing.
TWILIO_FINAL_STATUSES = {"completed", "busy", "no-answer", "failed", "canceled"}
# For these directions the rep made the call, so the rep's number is `From`.
TWILIO_OUTBOUND = {"outbound-api", "outbound-dial"}
SECRET_PREFIX = "whsec_"


class CallEventConflict(Exception):
    """The external id was already sent with other content (answered 422)."""


def call_outcome(*, call_status: str, duration_seconds: int) -> str:
    """A Twilio call's outcome: connected, voicemail or no answer.

    Completed and at least CALL_CONNECTED_SECONDS long: connected; completed but
    shorter: voicemail; busy, no-answer, failed, canceled: no answer.
    """
    if call_status != "completed":
        return CallOutcome.NO_ANSWER
    if duration_seconds >= settings.CALL_CONNECTED_SECONDS:
        return CallOutcome.CONNECTED
    return CallOutcome.VOICEMAIL


def twilio_call_times(
    *, timestamp: str, duration_seconds: int, now: dt.datetime
) -> dt.datetime:
    """When the call began: the event's Timestamp (RFC 2822, when the call ended, or
    now without one) less its duration, never later than now."""
    try:
        ended = email.utils.parsedate_to_datetime(timestamp) if timestamp else now
    except (TypeError, ValueError):
        ended = now
    if timezone.is_naive(ended):
        ended = timezone.make_aware(ended, dt.UTC)
    return min(ended - dt.timedelta(seconds=duration_seconds), now)


@transaction.atomic
def twilio_call_record(
    *, source: CallSource, params: dict, now: dt.datetime | None = None
) -> tuple[InboundCall | None, bool]:
    """Write a Twilio status callback once per CallSid; (call, created).

    Only final statuses are calls (None for the others). The rep is the person whose
    phone is `From` on an outbound call (outbound-api, outbound-dial) and `To` on an
    inbound one. An activity the rules refuse leaves the call unmatched with the reason,
    rather than answering Twilio with an error it would retry for nothing.
    """
    now = now or timezone.now()
    if params["CallStatus"] not in TWILIO_FINAL_STATUSES:
        return None, False
    duration = params.get("CallDuration") or 0
    outbound = params.get("Direction", "") in TWILIO_OUTBOUND
    rep_number, other = (
        (params.get("From", ""), params.get("To", ""))
        if outbound
        else (params.get("To", ""), params.get("From", ""))
    )
    call, created = _call_once(
        source=source,
        external_id=params["CallSid"],
        rep_phone=phone_normalised(rep_number)[:40],
        other_party=other[:40],
        direction=params.get("Direction", "")[:20],
        call_status=params["CallStatus"],
        duration_seconds=duration,
        outcome=call_outcome(
            call_status=params["CallStatus"], duration_seconds=duration
        ),
        occurred_at=twilio_call_times(
            timestamp=params.get("Timestamp", ""), duration_seconds=duration, now=now
        ),
    )
    if created:
        try:
            with transaction.atomic():
                _log_matched(call, now=now)
        except ValidationError as error:
            call.problem = "; ".join(error.messages)
            call.save(update_fields=["problem"])
    return call, created


@transaction.atomic
def standard_call_record(
    *,
    source: CallSource,
    external_id: str,
    occurred_at: dt.datetime,
    rep_email: str = "",
    rep_phone: str = "",
    metric: str = "calls",
    outcome: str = "",
    fingerprint: str = "",
    now: dt.datetime | None = None,
) -> tuple[InboundCall, bool]:
    """Write a generic call event once per external id; (call, created).

    The same id with the same content is a duplicate (nothing more is written); with
    other content it is a `CallEventConflict`. An activity the rules refuse (a time in
    the future, too far back) is a ValidationError and nothing is written.
    """
    now = now or timezone.now()
    call, created = _call_once(
        source=source,
        external_id=external_id,
        rep_email=rep_email.strip().lower(),
        rep_phone=phone_normalised(rep_phone)[:40],
        metric_slug=metric,
        outcome=outcome,
        occurred_at=occurred_at,
        fingerprint=fingerprint,
    )
    if not created and call.fingerprint != fingerprint:
        raise CallEventConflict
    if created:
        _log_matched(call, now=now)
    return call, created


def _call_once(
    *, source: CallSource, external_id: str, **fields
) -> tuple[InboundCall, bool]:
    try:
        with transaction.atomic():
            return InboundCall.objects.create(
                source=source,
                external_id=external_id,
                status=InboundCallStatus.UNMATCHED,
                **fields,
            ), True
    except IntegrityError:
        return InboundCall.objects.get(source=source, external_id=external_id), False


def _log_matched(call: InboundCall, *, now: dt.datetime) -> None:
    """Log the call for the person it names, if one is found; else it stays unmatched."""
    rep = selectors.person_for_call(phone=call.rep_phone, email=call.rep_email)
    if rep is None:
        return
    _log(call, rep=rep, by=None, now=now)


def _log(call: InboundCall, *, rep: User, by: User | None, now: dt.datetime) -> None:
    call.activity = activity_log(
        rep=rep,
        metric=call.metric_slug,
        occurred_at=call.occurred_at,
        outcome=call.outcome,
        note=call.other_party,
        source=Source.DIALER,
        by=by,
        now=now,
    )
    call.rep = rep
    call.status = InboundCallStatus.LOGGED
    call.problem = ""
    call.save(update_fields=["activity", "rep", "status", "problem"])


# --- Unmatched calls -------------------------------------------------------------------


def _unmatched_for_update(call: InboundCall, by: User) -> InboundCall:
    if not by.is_admin:
        raise PermissionDenied(_("Only an admin can assign or dismiss calls."))
    call = InboundCall.objects.select_for_update().get(pk=call.pk)
    if call.status != InboundCallStatus.UNMATCHED:
        raise ValidationError(_("This call was already logged or dismissed."))
    return call


@transaction.atomic
def inbound_call_assign(
    *, call: InboundCall, rep: User, by: User, now: dt.datetime | None = None
) -> InboundCall:
    """Log an unmatched call for `rep` (once: a second assignment is refused).

    The admin logs it as a correction, so a call older than the back-dating window can
    still be assigned.
    """
    now = now or timezone.now()
    call = _unmatched_for_update(call, by)
    if not rep.is_active:
        raise ValidationError({"rep": [_("Choose an active person.")]})
    _log(call, rep=rep, by=by, now=now)
    call.resolved_by, call.resolved_at = by, now
    call.save(update_fields=["resolved_by", "resolved_at"])
    return call


@transaction.atomic
def inbound_call_dismiss(
    *, call: InboundCall, by: User, now: dt.datetime | None = None
) -> InboundCall:
    """Set an unmatched call aside (not a call of the team's); it stays in the list."""
    call = _unmatched_for_update(call, by)
    call.status = InboundCallStatus.DISMISSED
    call.resolved_by, call.resolved_at = by, now or timezone.now()
    call.save(update_fields=["status", "resolved_by", "resolved_at"])
    return call


# --- Sources ---------------------------------------------------------------------------


def new_standard_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_errors(*, kind: str, secret: str) -> list[str]:
    if not secret:
        return []
    if any(character.isspace() for character in secret) or len(secret) > 200:
        return [_("Paste the secret without spaces (at most 200 characters).")]
    if kind == CallSourceKind.STANDARD:
        try:
            raw = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if not secret.startswith(SECRET_PREFIX) or not 24 <= len(raw) <= 64:
            return [
                _(
                    "A Standard Webhooks secret is whsec_ and 24 to 64 bytes in "
                    "base64; leave it empty to have one made."
                )
            ]
    return []


def _source_save(source: CallSource) -> CallSource:
    errors = secret_errors(kind=source.kind, secret=source.secret)
    try:
        source.full_clean(exclude=["key"])
    except ValidationError as error:
        found = error.message_dict
    else:
        found = {}
    if errors:
        found["secret"] = found.get("secret", []) + errors
    if found:
        raise ValidationError(found)
    source.save()
    return source


@transaction.atomic
def call_source_create(
    *, name: str, kind: str, by: User, secret: str = ""
) -> CallSource:
    """Add a dialer; a Standard Webhooks source without a secret gets a new one."""
    if not by.is_admin:
        raise PermissionDenied(_("Only an admin can connect dialers."))
    secret = secret.strip()
    if kind == CallSourceKind.STANDARD and not secret:
        secret = new_standard_secret()
    return _source_save(
        CallSource(name=name.strip(), kind=kind, secret=secret, created_by=by)
    )


@transaction.atomic
def call_source_update(
    *,
    source: CallSource,
    by: User,
    name: str | None = None,
    secret: str | None = None,
    new_secret: bool = False,
    is_active: bool | None = None,
) -> CallSource:
    """Rename, set or renew the secret (None keeps it), turn the endpoint on or off."""
    if not by.is_admin:
        raise PermissionDenied(_("Only an admin can connect dialers."))
    source = CallSource.objects.select_for_update().get(pk=source.pk)
    if name is not None:
        source.name = name.strip()
    if new_secret and source.kind == CallSourceKind.STANDARD:
        source.secret = new_standard_secret()
    elif secret:
        source.secret = secret.strip()
    if is_active is not None:
        source.is_active = is_active
    return _source_save(source)
