"""REST API for the review's output: flags and kudos (managers give kudos)."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.selectors import users_visible_to
from core.api_filters import IdFilter
from core.params import MAX_ID
from targets.models import Flag, FlagKind, FlagStatus, Kudos
from targets.review_selectors import flags_for_viewer, kudos_for_viewer
from targets.services import kudos_give


class FlagSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="rep_id", read_only=True)
    metric = serializers.CharField(source="metric.slug", read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "user",
            "kind",
            "metric",
            "period",
            "period_start",
            "target",
            "actual",
            "percent",
            "status",
        ]
        read_only_fields = fields


class KudosSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="rep_id", read_only=True)
    given_by = serializers.IntegerField(
        source="given_by_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Kudos
        fields = [
            "id",
            "user",
            "message",
            "given_by",
            "is_system",
            "streak",
            "created_at",
        ]
        read_only_fields = fields


class KudosCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    message = serializers.CharField(max_length=300)


class FlagFilter(django_filters.FilterSet):
    user = IdFilter(field_name="rep_id")
    kind = django_filters.ChoiceFilter(choices=FlagKind.choices)
    status = django_filters.ChoiceFilter(choices=FlagStatus.choices)

    class Meta:
        model = Flag
        fields = ["user", "kind", "status"]


class FlagViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Flags raised by the review: `?user=`, `?kind=`, `?status=`."""

    serializer_class = FlagSerializer
    filterset_class = FlagFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Flag.objects.none()
        return flags_for_viewer(self.request.user).order_by("-period_start", "-pk")


class KudosFilter(django_filters.FilterSet):
    user = IdFilter(field_name="rep_id")

    class Meta:
        model = Kudos
        fields = ["user", "is_system"]


class KudosViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Praise: the system's for streaks on quota, and managers' own (POST)."""

    serializer_class = KudosSerializer
    filterset_class = KudosFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Kudos.objects.none()
        return kudos_for_viewer(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=KudosCreateSerializer, responses={201: KudosSerializer})
    def create(self, request, *args, **kwargs):
        serializer = KudosCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rep = (
            users_visible_to(request.user)
            .filter(pk=serializer.validated_data["user"])
            .first()
        )
        if rep is None:
            return Response(
                {"user": [_("No rep of yours has this id.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        praise = kudos_give(
            rep=rep, by=request.user, message=serializer.validated_data["message"]
        )
        return Response(KudosSerializer(praise).data, status=status.HTTP_201_CREATED)


routes = [
    ("flags", FlagViewSet, "api-flag"),
    ("kudos", KudosViewSet, "api-kudos"),
]
urlpatterns: list = []
