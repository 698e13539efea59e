"""REST API for ramps: their history (`ramp-changes`), and a manager's change or early
end of a rep's ramp, each with its reason (POST; the services decide)."""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.permissions import records_q
from accounts.selectors import users_visible_to
from core.api_filters import IdFilter
from core.params import MAX_ID
from targets.models import RampChange, RampChangeKind
from targets.ramp_services import ramp_change, ramp_end
from targets.serializers import RampStepSerializer


class RampChangeSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="rep_id", read_only=True)
    by = serializers.IntegerField(source="by_id", read_only=True, allow_null=True)
    steps = RampStepSerializer(many=True, read_only=True)

    class Meta:
        model = RampChange
        fields = [
            "id",
            "user",
            "kind",
            "steps",
            "ended_on",
            "reason",
            "by",
            "changed_at",
        ]
        read_only_fields = fields


class RampChangeCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    kind = serializers.ChoiceField(
        choices=[RampChangeKind.CHANGED, RampChangeKind.ENDED],
        help_text=gettext_lazy(
            "`changed`: new steps from today on; `ended`: full targets from today"
        ),
    )
    steps = RampStepSerializer(many=True, required=False)
    reason = serializers.CharField(max_length=300)


class RampChangeFilter(django_filters.FilterSet):
    user = IdFilter(field_name="rep_id")

    class Meta:
        model = RampChange
        fields = ["user", "kind"]


class RampChangeViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Why each rep's ramp is as it is (`?user=`); POST changes or ends a ramp."""

    serializer_class = RampChangeSerializer
    filterset_class = RampChangeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RampChange.objects.none()
        return RampChange.objects.filter(records_q(self.request.user)).order_by(
            "-changed_at", "-pk"
        )

    @extend_schema(
        request=RampChangeCreateSerializer, responses={201: RampChangeSerializer}
    )
    def create(self, request, *args, **kwargs):
        serializer = RampChangeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        wanted = serializer.validated_data
        rep = users_visible_to(request.user).filter(pk=wanted["user"]).first()
        if rep is None:
            return Response(
                {"user": [_("No rep of yours has this id.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if wanted["kind"] == RampChangeKind.ENDED:
            change = ramp_end(rep=rep, by=request.user, reason=wanted["reason"])
        else:
            change = ramp_change(
                rep=rep,
                steps=wanted.get("steps", []),
                by=request.user,
                reason=wanted["reason"],
            )
        return Response(
            RampChangeSerializer(change).data, status=status.HTTP_201_CREATED
        )


routes = [("ramp-changes", RampChangeViewSet, "api-ramp-change")]
urlpatterns: list = []
