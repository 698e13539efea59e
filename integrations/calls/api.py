"""The admins' list of call events: what arrived, and the unmatched ones to assign
or dismiss (`/api/v1/inbound-calls/`). The dialers' own endpoints are `inbound_api`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import IsAdmin
from activities.api import ID_REGEX
from integrations.calls import inbound_api, selectors, services
from integrations.models import InboundCall, InboundCallStatus


class InboundCallSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.name", read_only=True)

    class Meta:
        model = InboundCall
        fields = [
            "id",
            "source",
            "external_id",
            "status",
            "rep",
            "activity",
            "rep_phone",
            "rep_email",
            "other_party",
            "direction",
            "call_status",
            "duration_seconds",
            "metric_slug",
            "outcome",
            "occurred_at",
            "problem",
            "received_at",
            "resolved_by",
            "resolved_at",
        ]
        read_only_fields = fields


class AssignSerializer(serializers.Serializer):
    rep = serializers.PrimaryKeyRelatedField(
        queryset=selectors.assignable_people(),
        help_text=_("The active person the call is logged for."),
    )


STATUS_FILTER = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=InboundCallStatus.values,
    description=_("Only calls with this status (unmatched: those to assign)."),
)


class InboundCallViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Call events as they arrived (admins): assign the unmatched ones or dismiss them."""

    permission_classes = [IsAdmin]
    serializer_class = InboundCallSerializer
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        wanted = self.request.query_params.get("status")
        if wanted is not None and wanted not in InboundCallStatus.values:
            raise exceptions.ValidationError(
                {"status": [_("Choose logged, unmatched or dismissed.")]}
            )
        return selectors.inbound_calls(status=wanted)

    @extend_schema(parameters=[STATUS_FILTER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssignSerializer, responses={200: InboundCallSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Log an unmatched call for a person (once; then it is no longer unmatched)."""
        call = self.get_object()
        payload = AssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call = services.inbound_call_assign(
            call=call, rep=payload.validated_data["rep"], by=request.user
        )
        return Response(InboundCallSerializer(call).data)

    @extend_schema(request=None, responses={200: InboundCallSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Set an unmatched call aside: no activity, kept in the list as dismissed."""
        call = services.inbound_call_dismiss(call=self.get_object(), by=request.user)
        return Response(InboundCallSerializer(call).data)


routes = [("inbound-calls", InboundCallViewSet, "api-inbound-call")]
urlpatterns = inbound_api.urlpatterns
