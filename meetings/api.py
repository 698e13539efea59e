"""REST API for meetings, action items and the calendar feed address.

Thin: serializers parse, the services write, the selectors scope. A rep sees only the
meetings they take part in; another team's meeting is a 404; private notes are null for
anyone who may not run the meeting.
"""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team, User
from accounts.permissions import is_staff_member
from core.api_fields import OffsetDateTimeField
from core.params import id_param
from meetings import selectors, services
from meetings.models import ActionItem, Meeting, MeetingKind, Recurrence
from meetings.services.rules import unknown_person_message


class MeetingSerializer(serializers.ModelSerializer):
    participants = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    recurrence = serializers.SerializerMethodField()
    private_notes = serializers.SerializerMethodField()
    ends_at = serializers.DateTimeField(read_only=True)
    ical_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "organiser",
            "team",
            "rep",
            "participants",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "video_url",
            "status",
            "series",
            "recurrence",
            "agenda",
            "notes",
            "private_notes",
            "ical_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_participants(self, meeting: Meeting) -> list[int]:
        return [participant.user_id for participant in meeting.attendance.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_agenda(self, meeting: Meeting) -> list[str]:
        return [item.text for item in meeting.agenda_items.all()]

    @extend_schema_field(
        serializers.ChoiceField(choices=Recurrence.choices, allow_null=True)
    )
    def get_recurrence(self, meeting: Meeting) -> str | None:
        return meeting.series.recurrence if meeting.series else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_private_notes(self, meeting: Meeting) -> str | None:
        viewer = self.context["request"].user
        return (
            meeting.private_notes
            if selectors.may_run_meeting(viewer, meeting)
            else None
        )

    def get_ical_url(self, meeting: Meeting) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("meetings:ics", args=[meeting.pk])
        )


class ParticipantField(serializers.PrimaryKeyRelatedField):
    """A participant's id: one that does not exist gets the answer `check_people` gives
    for another team's rep, so the two cannot be told apart."""

    def fail(self, key, **kwargs):
        if key == "does_not_exist":
            raise serializers.ValidationError(
                unknown_person_message(kwargs["pk_value"]), code=key
            )
        super().fail(key, **kwargs)


class MeetingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    title = serializers.CharField(max_length=200)
    starts_at = OffsetDateTimeField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    participants = ParticipantField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )
    video_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    recurrence = serializers.ChoiceField(
        choices=Recurrence.choices, required=False, allow_blank=True
    )


class CancelSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=[("this", "this"), ("following", "following")], default="this"
    )


class CancelResultSerializer(serializers.Serializer):
    cancelled = serializers.IntegerField()


MEETING_FILTERS = [
    OpenApiParameter(
        "user", OpenApiTypes.INT, description="Meetings this person is in"
    ),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=MeetingKind.values),
    OpenApiParameter("from", OpenApiTypes.DATETIME, description="Starting at or after"),
    OpenApiParameter("to", OpenApiTypes.DATETIME, description="Starting before"),
]


class MeetingFilterSerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword, so these two are added by name.
        fields["from"] = OffsetDateTimeField(required=False)
        fields["to"] = OffsetDateTimeField(required=False)
        return fields


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings the caller may see. POST books one (managers and admins)."""

    queryset = Meeting.objects.none()  # the real one is scoped per caller
    lookup_value_regex = r"\d{1,18}"
    serializer_class = MeetingSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.action != "list":
            return selectors.with_details(
                selectors.meetings_visible_to(self.request.user)
            )
        filters = MeetingFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        values = filters.validated_data
        user = None
        if "user" in values:
            user = User(pk=values["user"])
        return selectors.meeting_list_for(
            viewer=self.request.user,
            user=user,
            kind=values.get("kind"),
            starts_from=values.get("from"),
            starts_to=values.get("to"),
        )

    @extend_schema(parameters=MEETING_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied(_("Only managers and admins schedule meetings."))
        incoming = MeetingCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        meeting = services.meeting_schedule(
            organiser=request.user,
            kind=values["kind"],
            title=values["title"],
            starts_at=values["starts_at"],
            duration_minutes=values["duration_minutes"],
            team=values.get("team"),
            participants=values.get("participants", []),
            video_url=values.get("video_url", ""),
            recurrence=values.get("recurrence", ""),
        )
        meeting = selectors.with_details(Meeting.objects.filter(pk=meeting.pk)).get()
        return Response(
            MeetingSerializer(meeting, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=CancelSerializer, responses={200: CancelResultSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        incoming = CancelSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if not selectors.may_run_meeting(request.user, meeting):
            raise PermissionDenied(
                _("Only the organiser or the manager can cancel it.")
            )
        count = services.meeting_cancel(
            meeting=meeting, by=request.user, scope=incoming.validated_data["scope"]
        )
        return Response({"cancelled": count})


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


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(allow_null=True)


class CalendarFeedView(APIView):
    """The caller's secret iCal feed address: read it, make a new one, or switch it off."""

    def feed_url(self, request) -> str | None:
        token = selectors.feed_token_for(user=request.user)
        if not token:
            return None
        return request.build_absolute_uri(reverse("meetings:feed", args=[token.token]))

    @extend_schema(request=None, responses={200: CalendarFeedSerializer})
    def get(self, request):
        return Response({"url": self.feed_url(request)})

    @extend_schema(request=None, responses={201: CalendarFeedSerializer})
    def post(self, request):
        services.feed_token_rotate(user=request.user)
        return Response({"url": self.feed_url(request)}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.feed_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


routes = [
    ("meetings", MeetingViewSet, "meeting"),
    ("action-items", ActionItemViewSet, "action-item"),
]
urlpatterns = [
    path("calendar-feed/", CalendarFeedView.as_view(), name="api-calendar-feed"),
]
