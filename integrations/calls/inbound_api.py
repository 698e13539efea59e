"""The two signed public endpoints that dialers post call events to.

`POST /api/v1/inbound/twilio/<key>/` is Twilio Voice's status callback (form-encoded,
X-Twilio-Signature). `POST /api/v1/inbound/calls/<key>/` takes JSON signed with Standard
Webhooks, for any other dialer, Zapier or n8n. Neither takes a login: the signature is
the proof, checked before anything is read, and a request that fails it is a 403 that
writes nothing.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.urls import re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.validators import E164, PHONE_MESSAGE, phone_normalised
from activities.models import CallOutcome
from activities.services import metric_for_logging
from core.api_fields import OffsetDateTimeField
from core.api_throttling import ScopedRateThrottle
from integrations.calls import selectors, services
from integrations.calls.signatures import (
    TWILIO_SIGNATURE_HEADER,
    standard_signature_valid,
    twilio_signature_valid,
)
from integrations.models import CallSource, CallSourceKind, InboundCallStatus

KEY_REGEX = r"[-A-Za-z0-9_]{1,40}"


class NotConfigured(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "not_configured"
    default_detail = _(
        "This dialer has no secret yet: an admin sets it on the Dialers page. "
        "Nothing was written."
    )


class BadSignature(exceptions.PermissionDenied):
    default_code = "bad_signature"
    default_detail = _(
        "The request's signature does not validate. Nothing was written."
    )


class CallEventConflict(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "external_id_reused"
    default_detail = {
        "external_id": [
            _(
                "This external_id was already sent with different content. "
                "Use a new external_id for a new call."
            )
        ]
    }


def source_for(key: str, kind: str) -> CallSource:
    source = selectors.call_source_for_key(key=key, kind=kind)
    if source is None:
        raise exceptions.NotFound(_("No dialer is connected at this address."))
    if not source.secret:
        raise NotConfigured
    return source


class TwilioCallbackSerializer(serializers.Serializer):
    """The parameters of Twilio's call status callback that are read (others are
    signed over but ignored)."""

    CallSid = serializers.CharField(max_length=255)
    CallStatus = serializers.CharField(max_length=20)
    CallDuration = serializers.IntegerField(
        min_value=0, max_value=7 * 24 * 3600, required=False
    )
    From = serializers.CharField(max_length=255, required=False, allow_blank=True)
    To = serializers.CharField(max_length=255, required=False, allow_blank=True)
    Direction = serializers.CharField(max_length=20, required=False, allow_blank=True)
    Timestamp = serializers.CharField(max_length=64, required=False, allow_blank=True)


class StandardCallEventSerializer(serializers.Serializer):
    """A call (or other activity) from any dialer; the rep by email or by phone."""

    rep_email = serializers.EmailField(required=False, allow_blank=True)
    rep_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    occurred_at = OffsetDateTimeField()
    metric = serializers.SlugField(max_length=40, default="calls")
    outcome = serializers.ChoiceField(
        choices=CallOutcome.choices, required=False, allow_blank=True, default=""
    )
    external_id = serializers.CharField(max_length=255)

    def validate_metric(self, slug: str) -> str:
        try:
            return metric_for_logging(slug).slug
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict["metric"]) from error

    def validate_rep_phone(self, value: str) -> str:
        number = phone_normalised(value)
        if value and not E164.fullmatch(number):
            raise serializers.ValidationError(PHONE_MESSAGE)
        return number

    def validate(self, attrs):
        if not attrs.get("rep_email") and not attrs.get("rep_phone"):
            raise serializers.ValidationError(
                {"rep_email": [_("Name the rep by rep_email or rep_phone.")]}
            )
        return attrs


class CallEventResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[*InboundCallStatus.values, "ignored"],
        help_text=_(
            "logged: an activity was logged for the rep; unmatched: kept for an admin "
            "to assign; ignored: not a final call status, nothing written."
        ),
    )
    duplicate = serializers.BooleanField(
        help_text=_("True when this call had arrived before (nothing written again).")
    )
    call = serializers.IntegerField(allow_null=True)
    activity = serializers.IntegerField(allow_null=True)


def result(call, created: bool) -> Response:
    body = {
        "status": call.status if call else "ignored",
        "duplicate": bool(call) and not created,
        "call": call.pk if call else None,
        "activity": call.activity_id if call else None,
    }
    response = Response(body, status=status.HTTP_200_OK)
    if body["duplicate"]:  # as an Idempotency-Key replay says it (issue 13)
        response["Idempotent-Replayed"] = "true"
    return response


class InboundEndpoint(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "inbound"


SOURCE_KEY = OpenApiParameter(
    "key",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=f"^{KEY_REGEX}$",
    description=_("The source's key, from its address on the Dialers page."),
)
NOT_CONFIGURED = OpenApiResponse(
    description=_("The source has no secret yet; nothing was written.")
)


class TwilioStatusCallbackView(InboundEndpoint):
    parser_classes = [FormParser]

    @extend_schema(
        operation_id="inbound_twilio_status_callback",
        summary=_("Twilio Voice status callback"),
        description=_(
            "Point a Twilio number's (or a call's) status callback here, method POST. "
            "The X-Twilio-Signature header must validate: HMAC-SHA1 with the "
            "account's auth token (set on the Dialers page) over the full URL Twilio "
            "called (scheme, host, path, query) followed by every POST parameter, "
            "name then value, sorted by name (Twilio's RequestValidator). Otherwise "
            "the answer is 403 and nothing is written. A final status (completed, "
            "busy, no-answer, failed, canceled) is logged once per CallSid as a call "
            "for the person whose phone is From (outbound-api, outbound-dial) or To "
            "(inbound); completed calls of at least CALL_CONNECTED_SECONDS are "
            "connected, shorter ones voicemail, the rest no answer. An unknown "
            "number is kept as an unmatched call for an admin to assign."
        ),
        auth=[],
        parameters=[
            SOURCE_KEY,
            OpenApiParameter(
                TWILIO_SIGNATURE_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description=_("Base64 HMAC-SHA1 of URL + sorted parameters."),
            ),
        ],
        request={"application/x-www-form-urlencoded": TwilioCallbackSerializer},
        responses={200: CallEventResultSerializer, 503: NOT_CONFIGURED},
    )
    def post(self, request, key: str):
        source = source_for(key, CallSourceKind.TWILIO)
        params = request.data
        if not twilio_signature_valid(
            request=request, params=params, auth_token=source.secret
        ):
            raise BadSignature
        payload = TwilioCallbackSerializer(data=params)
        payload.is_valid(raise_exception=True)
        call, created = services.twilio_call_record(
            source=source, params=payload.validated_data
        )
        return result(call, created)


class StandardCallEventView(InboundEndpoint):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="inbound_call_event",
        summary=_("A call event from any dialer, Zapier or n8n"),
        description=_(
            "JSON signed with Standard Webhooks (standardwebhooks.com): the headers "
            "webhook-id, webhook-timestamp (Unix seconds, within 5 minutes of ours) "
            "and webhook-signature, 'v1,' and the base64 HMAC-SHA256 of "
            "'<webhook-id>.<webhook-timestamp>.<body>' keyed with the source's "
            "whsec_ secret (base64-decoded). A bad or missing signature is 403 and "
            "nothing is written. The call is logged once per external_id: the same "
            "external_id again answers 200 with duplicate true; with different "
            "content, 422. The rep is named by rep_email or rep_phone (E.164); an "
            "unknown one is kept as an unmatched call for an admin to assign. "
            "Bad fields are a 400 naming each one."
        ),
        auth=[],
        parameters=[
            SOURCE_KEY,
            *(
                OpenApiParameter(
                    header,
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    description=description,
                )
                for header, description in (
                    ("webhook-id", _("A unique id of this message.")),
                    ("webhook-timestamp", _("When it was signed, in Unix seconds.")),
                    ("webhook-signature", _("v1,<base64 HMAC-SHA256>")),
                )
            ),
        ],
        request=StandardCallEventSerializer,
        responses={
            200: CallEventResultSerializer,
            422: OpenApiResponse(
                description=_("The external_id was sent before with other content.")
            ),
            503: NOT_CONFIGURED,
        },
    )
    def post(self, request, key: str):
        source = source_for(key, CallSourceKind.STANDARD)
        body = request.body  # the signed bytes, before anything parses them
        if not standard_signature_valid(
            body=body, headers=request.headers, secret=source.secret
        ):
            raise BadSignature
        payload = StandardCallEventSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        event = payload.validated_data
        fingerprint = hashlib.sha256(
            json.dumps(event, sort_keys=True, default=str).encode()
        ).hexdigest()
        try:
            call, created = services.standard_call_record(
                source=source,
                external_id=event["external_id"],
                occurred_at=event["occurred_at"],
                rep_email=event.get("rep_email", ""),
                rep_phone=event.get("rep_phone", ""),
                metric=event["metric"],
                outcome=event["outcome"],
                fingerprint=fingerprint,
            )
        except services.CallEventConflict as error:
            raise CallEventConflict from error
        return result(call, created)


urlpatterns = [
    re_path(
        rf"^inbound/twilio/(?P<key>{KEY_REGEX})/$",
        TwilioStatusCallbackView.as_view(),
        name="api-inbound-twilio",
    ),
    re_path(
        rf"^inbound/calls/(?P<key>{KEY_REGEX})/$",
        StandardCallEventView.as_view(),
        name="api-inbound-call-event",
    ),
]
