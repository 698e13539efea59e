"""A rep's autonomy history, and changing their level, through the API.

Thin: the list is scoped by the one visibility policy (`accounts.permissions`); a change
goes through `meetings.autonomy.autonomy_set`, which asks for the reason, records the
change and tells a proven rep it was lowered, as the check-ins page does.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from accounts.models import AutonomyLevel
from accounts.permissions import manages
from accounts.selectors import users_visible_to
from core.api_filters import IdFilter
from core.params import MAX_ID
from meetings import selectors
from meetings.autonomy import autonomy_set
from meetings.models import AutonomyChange


class AutonomyChangeSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="rep_id", read_only=True)
    by = serializers.IntegerField(source="by_id", read_only=True, allow_null=True)

    class Meta:
        model = AutonomyChange
        fields = [
            "id",
            "user",
            "from_level",
            "to_level",
            "reason",
            "changed_at",
            "by",
            "reviewed_on",
        ]
        read_only_fields = fields


class AutonomyChangeCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    to_level = serializers.ChoiceField(choices=AutonomyLevel.choices)
    # Optional here: whether a reason is needed, and what to say, is the service's.
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy(
            "Why the level changes: required (400 without it). A rep on quota for "
            "PROVEN_MONTHS closed months in a row who is moved down is told, with it."
        ),
    )


class AutonomyChangeFilter(django_filters.FilterSet):
    user = IdFilter(field_name="rep_id")

    class Meta:
        model = AutonomyChange
        fields = ["user"]


class AutonomyChangeViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Reps' autonomy changes, newest first (`?user=`); their manager or an admin
    moves a rep with `POST` (`user`, `to_level`, `reason`)."""

    serializer_class = AutonomyChangeSerializer
    filterset_class = AutonomyChangeFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AutonomyChange.objects.none()
        return selectors.autonomy_changes_visible_to(self.request.user)

    @extend_schema(
        request=AutonomyChangeCreateSerializer,
        responses={201: AutonomyChangeSerializer},
    )
    def create(self, request, *args, **kwargs):
        incoming = AutonomyChangeCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        values = incoming.validated_data
        person = users_visible_to(request.user).filter(pk=values["user"]).first()
        if person is None:
            raise NotFound(_("No such person, or not one you may see."))
        if not manages(request.user, person):
            raise PermissionDenied(
                _("Only the rep's manager or an admin changes their autonomy level.")
            )
        try:
            change = autonomy_set(
                rep=person,
                to_level=values["to_level"],
                reason=values["reason"],
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            # The one error about the person themselves (not a rep) belongs to `user`.
            raise ValidationError({"user": error.messages}) from error
        return Response(
            AutonomyChangeSerializer(change).data, status=status.HTTP_201_CREATED
        )
