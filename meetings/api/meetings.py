"""Meetings through the API: list any window, book, change (PATCH), cancel."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.models import Team, User
from accounts.permissions import is_staff_member
from core.api_fields import FreeTextField, OffsetDateTimeField
from core.params import MAX_ID
from meetings import selectors, services
from meetings.models import Meeting, MeetingKind, MeetingStatus, Recurrence
from meetings.services.rules import unknown_person_message


class AttendanceSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    attended = serializers.BooleanField(allow_null=True)


MAX_AGENDA_ITEMS = 100
MAX_PARTICIPANTS = 1000


class MeetingSerializer(serializers.ModelSerializer):
    participants = serializers.SerializerMethodField()
    attendance = serializers.SerializerMethodField()
    agenda = serializers.SerializerMethodField()
    recurrence = serializers.SerializerMethodField()
    rotation_times = serializers.SerializerMethodField()
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
            "attendance",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "video_url",
            "status",
            "series",
            "recurrence",
            "rotation_times",
            "agenda",
            "notes",
            "private_notes",
            "reason",
            "ical_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_participants(self, meeting: Meeting) -> list[int]:
        return [participant.user_id for participant in meeting.attendance.all()]

    @extend_schema_field(AttendanceSerializer(many=True))
    def get_attendance(self, meeting: Meeting) -> list[dict]:
        return [
            {"user": participant.user_id, "attended": participant.attended}
            for participant in meeting.attendance.all()
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_agenda(self, meeting: Meeting) -> list[str]:
        return [item.text for item in meeting.agenda_items.all()]

    @extend_schema_field(
        serializers.ChoiceField(choices=Recurrence.choices, allow_null=True)
    )
    def get_recurrence(self, meeting: Meeting) -> str | None:
        return meeting.series.recurrence if meeting.series else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_rotation_times(self, meeting: Meeting) -> list[str]:
        return list(meeting.series.rotation_times) if meeting.series else []

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
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="Why we are meeting. Required (400 without it) for a check-in "
        "beyond a trusted, on-target rep's cadence; the rep sees it.",
    )
    alternate_times = serializers.ListField(
        child=serializers.TimeField(),
        required=False,
        max_length=2,
        help_text="A weekly or two-weekly series takes these local times (the "
        "organiser's) in turn after the first, so out-of-hours meetings are shared.",
    )


SCOPES = [("this", "this"), ("following", "following")]


class CancelSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=SCOPES, default="this")


class MeetingChangeSerializer(serializers.Serializer):
    """A PATCH: every field is optional, and one left out stays as it is."""

    scope = serializers.ChoiceField(
        choices=SCOPES,
        default="this",
        help_text="For an occurrence of a series: a new time or length, or a "
        "cancellation, applies to this occurrence or to it and the following ones.",
    )
    title = serializers.CharField(max_length=200, required=False)
    starts_at = OffsetDateTimeField(required=False)
    duration_minutes = serializers.IntegerField(
        min_value=5, max_value=480, required=False
    )
    video_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=500),
        max_length=MAX_AGENDA_ITEMS,
        required=False,
        help_text="The whole agenda, in order: it replaces the one there is.",
    )
    notes = FreeTextField(required=False, allow_blank=True)
    private_notes = FreeTextField(
        required=False,
        allow_blank=True,
        help_text="The manager's notes; never shown to the rep.",
    )
    attendance = AttendanceSerializer(
        many=True,
        required=False,
        max_length=MAX_PARTICIPANTS,
        help_text="Participants not named keep what they had.",
    )
    status = serializers.ChoiceField(
        choices=[
            (MeetingStatus.DONE, MeetingStatus.DONE.label),
            (MeetingStatus.CANCELLED, MeetingStatus.CANCELLED.label),
        ],
        required=False,
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
    """Meetings the caller may see. POST books one; PATCH changes one (its runners).

    A listing with `to` shows every occurrence of a series in the window, however far
    ahead: missing occurrences are created first.
    """

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
        if values.get("to"):
            services.series_fill_window(
                viewer=self.request.user, start=values.get("from"), end=values["to"]
            )
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
            reason=values.get("reason", ""),
            alternate_times=values.get("alternate_times", []),
        )
        meeting = selectors.with_details(Meeting.objects.filter(pk=meeting.pk)).get()
        return Response(
            MeetingSerializer(meeting, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=MeetingChangeSerializer, responses={200: MeetingSerializer})
    def partial_update(self, request, *args, **kwargs):
        meeting = self.get_object()
        incoming = MeetingChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if not selectors.may_run_meeting(request.user, meeting):
            raise PermissionDenied(
                _("Only the organiser or the rep's manager can change this meeting.")
            )
        values = dict(incoming.validated_data)
        if "attendance" in values:
            values["attendance"] = {
                row["user"]: row["attended"] for row in values["attendance"]
            }
        meeting = services.meeting_change(meeting=meeting, by=request.user, **values)
        meeting = selectors.with_details(Meeting.objects.filter(pk=meeting.pk)).get()
        return Response(
            MeetingSerializer(meeting, context=self.get_serializer_context()).data
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
