"""Serializers for people: the contract outside tools rely on."""

from collections.abc import Callable

from django.contrib.auth import authenticate
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from accounts.models import (
    Invitation,
    Notification,
    Role,
    Team,
    User,
    validate_start_date,
)
from accounts.services import ADMIN_ONLY_FIELDS, PROFILE_FIELDS
from accounts.timezones import available_timezones
from accounts.validators import phone_normalised
from core.api_fields import FREE_TEXT_MAX_LENGTH, WallClockTimeField
from core.params import MAX_ID


def check_timezone(value: str) -> str:
    if value not in available_timezones():
        raise serializers.ValidationError(
            _(
                '"%(value)s" is not a known time zone; use an IANA name such as '
                '"Europe/Athens".'
            )
            % {"value": value}
        )
    return value


class PersonModelSerializer(serializers.ModelSerializer):
    """A person's fields, with work hours as wall-clock times (they have no offset)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.TimeField: WallClockTimeField,
    }


class UserSerializer(PersonModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "full_name",
            "role",
            "team",
            "timezone",
            "work_days",
            "work_start",
            "work_end",
            "start_date",
            "language",
            "title",
            "phone",
            "autonomy_level",
            "is_active",
        ]
        read_only_fields = fields


def no_calendar_feed(request, user: User) -> str | None:
    return None


# The address of a person's calendar feed, or None while it is off. The feed is the
# meetings app's (a higher layer), which sets this in its AppConfig.ready.
calendar_feed_url: Callable[[Request, User], str | None] = no_calendar_feed


class MeSerializer(UserSerializer):
    """The caller's own account, with the address of their calendar feed."""

    ical_feed_url = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "ical_feed_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_ical_feed_url(self, user: User) -> str | None:
        return calendar_feed_url(self.context["request"], user)


class UserCreateSerializer(serializers.Serializer):
    """Admins add a person; they get an invitation by email."""

    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.REP)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )
    timezone = serializers.CharField(max_length=64, validators=[check_timezone])
    start_date = serializers.DateField(
        required=False, allow_null=True, validators=[validate_start_date]
    )

    def validate_email(self, value: str) -> str:
        if User.objects.filter(email=value.lower()).exists():
            raise serializers.ValidationError(
                _("Someone already has an account with this email.")
            )
        return value.lower()

    def validate(self, attrs):
        if attrs.get("role", Role.REP) == Role.REP and not attrs.get("team"):
            raise serializers.ValidationError(
                {"team": [_("A rep must belong to a team.")]}
            )
        return attrs


class UserUpdateSerializer(PersonModelSerializer):
    """Profile fields for everyone; role, team, email and start date for admins."""

    timezone = serializers.CharField(
        max_length=64, validators=[check_timezone], required=False
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = User
        fields = [*sorted(PROFILE_FIELDS), *sorted(ADMIN_ONLY_FIELDS)]
        extra_kwargs = {"email": {"validators": []}, "phone": {"validators": []}}

    def validate_phone(self, value: str) -> str:
        # Normalised and checked (format, someone else's) by `user_update`.
        return phone_normalised(value)


class TeamSerializer(serializers.ModelSerializer):
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(
            role__in=[Role.MANAGER, Role.ADMIN], is_active=True
        )
    )

    class Meta:
        model = Team
        fields = ["id", "name", "manager", "description", "leaderboard_visible_to_reps"]
        extra_kwargs = {"description": {"max_length": FREE_TEXT_MAX_LENGTH}}


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "user",
            "status",
            "created_at",
            "sent_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs["email"].lower(),
            password=attrs["password"],
        )
        if user is None or not user.is_active:
            raise serializers.ValidationError(
                _("Unable to log in with the email and password provided."),
                code="authorization",
            )
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_empty=True,
    )
