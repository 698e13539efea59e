"""Action items through the API: list, add, tick done."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import User
from core.params import id_param
from meetings import selectors, services
from meetings.models import ActionItem, Meeting


class ActionItemSerializer(serializers.ModelSerializer):
    done = serializers.BooleanField(source="is_done", read_only=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "owner",
            "text",
            "due_date",
            "done",
            "done_at",
            "created_at",
        ]
        read_only_fields = fields


class ActionItemCreateSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.none())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    text = serializers.CharField(max_length=500)
    due_date = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, viewer: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if viewer is not None:
            self.fields["meeting"].queryset = selectors.meetings_visible_to(viewer)


class ActionItemDoneSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class ActionItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Action items of the meetings the caller may see (`?open=true` for open ones)."""

    queryset = ActionItem.objects.none()  # the real one is scoped per caller
    lookup_value_regex = r"\d{1,18}"
    serializer_class = ActionItemSerializer
    filter_backends: list = []

    def get_queryset(self):
        items = selectors.action_items_visible_to(self.request.user)
        if self.request.query_params.get("open") in {"true", "1"}:
            items = items.filter(done_at__isnull=True)
        owner = id_param(self.request.query_params.get("owner"))
        if owner:
            items = items.filter(owner_id=owner)
        return items

    @extend_schema(
        parameters=[
            OpenApiParameter("open", OpenApiTypes.BOOL),
            OpenApiParameter("owner", OpenApiTypes.INT),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ActionItemCreateSerializer, responses={201: ActionItemSerializer}
    )
    def create(self, request, *args, **kwargs):
        incoming = ActionItemCreateSerializer(data=request.data, viewer=request.user)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        if not selectors.may_run_meeting(request.user, values["meeting"]):
            raise PermissionDenied(
                _("Only the organiser or the manager adds action items.")
            )
        item = services.action_item_create(by=request.user, **values)
        return Response(ActionItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ActionItemDoneSerializer, responses={200: ActionItemSerializer}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        item = self.get_object()
        incoming = ActionItemDoneSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if request.user.pk != item.owner_id and not selectors.may_run_meeting(
            request.user, item.meeting
        ):
            raise PermissionDenied(
                _("Only the owner or the manager can tick this item.")
            )
        item = services.action_item_complete(
            item=item, by=request.user, done=incoming.validated_data["done"]
        )
        return Response(ActionItemSerializer(item).data)
