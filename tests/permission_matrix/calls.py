"""Call events in (integrations.calls): the Dialers pages and list API are for admins;
the two inbound endpoints are public but signed, so without a signature everyone gets a
403 (Twilio's endpoint takes only form posts: JSON is a 415)."""

from integrations.models import CallSource, CallSourceKind, InboundCall
from tests.permission_matrix import API_ANON, VIEWERS, Row, admin_only


def source(world) -> CallSource:
    return CallSource.objects.create(
        name="Twilio", kind=CallSourceKind.TWILIO, secret="token"
    )


def source_pk(world) -> dict:
    return {"pk": source(world).pk}


def call_pk(world) -> dict:
    from django.utils import timezone

    call = InboundCall.objects.create(
        source=source(world),
        external_id="CA1",
        status="unmatched",
        occurred_at=timezone.now(),
    )
    return {"pk": call.pk}


def key_of(kind):
    def kwargs(world) -> dict:
        return {"key": CallSource.objects.create(name=kind, kind=kind, secret="x").key}

    return kwargs


def signed_only(status: int = 403) -> dict:
    return dict.fromkeys(VIEWERS, status)


ROWS = [
    Row("integrations:dialers", admin_only()),
    Row("integrations:dialer_source", admin_only(), kwargs=source_pk),
    Row("integrations:unmatched_calls", admin_only()),
    Row(
        "integrations:unmatched_call_assign",
        admin_only(302),
        kwargs=call_pk,
        method="post",
    ),
    Row(
        "integrations:unmatched_call_dismiss",
        admin_only(302),
        kwargs=call_pk,
        method="post",
    ),
    Row("api-inbound-call-list", admin_only(anonymous=API_ANON)),
    Row("api-inbound-call-detail", admin_only(anonymous=API_ANON), kwargs=call_pk),
    Row(
        "api-inbound-call-assign",
        admin_only(400, anonymous=API_ANON),
        kwargs=call_pk,
        method="post",
        data=lambda world: {},
    ),
    Row(
        "api-inbound-call-dismiss",
        admin_only(anonymous=API_ANON),
        kwargs=call_pk,
        method="post",
    ),
    Row(
        "api-inbound-twilio",
        signed_only(415),  # the matrix posts JSON; Twilio's form posts are 403 unsigned
        kwargs=key_of(CallSourceKind.TWILIO),
        method="post",
        data=lambda world: {"CallSid": "CA1", "CallStatus": "completed"},
    ),
    Row(
        "api-inbound-call-event",
        signed_only(),
        kwargs=key_of(CallSourceKind.STANDARD),
        method="post",
        data=lambda world: {"external_id": "1"},
    ),
]
