"""REST API for people: the current user, users, teams, invitations, notifications."""

import django_filters
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import Invitation, Notification, Role, Team, User
from accounts.notifications import notifications_for, notifications_mark_read
from accounts.permissions import account_changeable_q
from accounts.serializers import (
    InvitationSerializer,
    MeSerializer,
    NotificationReadSerializer,
    NotificationSerializer,
    TeamSerializer,
    UserCreateSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from core.api_filters import IdFilter


class IsAdmin(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.is_admin
        )


class AdminWrites(permissions.BasePermission):
    """Anyone signed in reads (scoped); only admins create."""

    def has_permission(self, request, view) -> bool:
        if view.action == "create":
            return request.user.is_admin
        return True


class MeView(APIView):
    """The authenticated user."""

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)


class UserFilter(django_filters.FilterSet):
    team = IdFilter(field_name="team_id")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["team", "role", "is_active"]


# Actions that change an account: a superuser is out of reach for everyone else (404).
ACCOUNT_CHANGES = frozenset({"update", "partial_update", "deactivate", "reactivate"})


class UserViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People the caller may see; admins add people (an invitation is emailed)."""

    permission_classes = [permissions.IsAuthenticated, AdminWrites]
    filterset_class = UserFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        people = selectors.users_visible_to(self.request.user)
        if self.action in ACCOUNT_CHANGES:
            people = people.filter(account_changeable_q(self.request.user))
        return people.order_by("pk")

    def get_serializer_class(self):
        if self.action == "create":
            return UserCreateSerializer
        if self.action in ("update", "partial_update"):
            return UserUpdateSerializer
        return UserSerializer

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request, *args, **kwargs):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.rep_onboard(by=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UserUpdateSerializer, responses={200: UserSerializer})
    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        serializer = UserUpdateSerializer(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(
            user=person, by=request.user, **serializer.validated_data
        )
        return Response(UserSerializer(user).data)

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAdmin])
    def deactivate(self, request, pk=None):
        user = services.user_deactivate(user=self.get_object(), by=request.user)
        return Response(UserSerializer(user).data)

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAdmin])
    def reactivate(self, request, pk=None):
        user = services.user_reactivate(user=self.get_object(), by=request.user)
        return Response(UserSerializer(user).data)


class TeamViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Teams the caller may see; admins create them."""

    serializer_class = TeamSerializer
    permission_classes = [permissions.IsAuthenticated, AdminWrites]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Team.objects.none()
        return selectors.teams_visible_to(self.request.user).order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = services.team_create(**serializer.validated_data)


class InvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Invitations (admins): list, resend, revoke."""

    serializer_class = InvitationSerializer
    permission_classes = [IsAdmin]
    filterset_fields = ["user"]

    def get_queryset(self):
        return Invitation.objects.select_related("user").order_by("-created_at")

    @extend_schema(request=None, responses={201: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invitation = services.invitation_resend(
            invitation=self.get_object(), by=request.user
        )
        return Response(
            InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = services.invitation_revoke(
            invitation=self.get_object(), by=request.user
        )
        return Response(InvitationSerializer(invitation).data)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first; `?unread=true` for unread only."""

    serializer_class = NotificationSerializer
    filterset_fields = {"read_at": ["isnull"], "kind": ["exact"]}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return notifications_for(self.request.user)

    @extend_schema(request=NotificationReadSerializer, responses={200: None})
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        serializer = NotificationReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = notifications_mark_read(
            user=request.user, ids=serializer.validated_data.get("ids") or None
        )
        return Response({"marked": marked})


routes = [
    ("users", UserViewSet, "api-user"),
    ("teams", TeamViewSet, "api-team"),
    ("invitations", InvitationViewSet, "api-invitation"),
    ("notifications", NotificationViewSet, "api-notification"),
]
urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
]
