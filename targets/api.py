"""REST API for targets and attainment (thin: the services and selectors decide)."""

import django_filters
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team
from accounts.permissions import led_teams_q
from accounts.selectors import users_visible_to
from activities.models import Metric
from activities.periods import period_bounds
from core.api_filters import IdFilter
from targets.attainment import attainment_for_rep, attainment_for_team
from targets.models import Target
from targets.selectors import targets_for_viewer
from targets.serializers import (
    AttainmentQuerySerializer,
    AttainmentSerializer,
    TargetSerializer,
    TargetWriteSerializer,
    TeamAttainmentSerializer,
)
from targets.services import target_acknowledge, target_set


class TargetFilter(django_filters.FilterSet):
    user = IdFilter(field_name="rep_id")
    metric = django_filters.CharFilter(field_name="metric__slug")
    agreed = django_filters.BooleanFilter(
        field_name="agreed_at", lookup_expr="isnull", exclude=True
    )
    current = django_filters.BooleanFilter(
        field_name="effective_until", lookup_expr="isnull"
    )

    class Meta:
        model = Target
        fields = ["user", "metric", "agreed", "current"]


class TargetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Agreed targets with their history (closed rows have `effective_until`).

    A target replaced on the day it took effect is kept with `superseded_at` and
    `superseded_by`; it was in force on no day (`effective_until` is the day before
    `effective_from`).

    Managers and admins create them; the rep agrees with `POST {id}/acknowledge/`.
    `?agreed=false` lists the targets nobody has agreed to yet.
    """

    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Target.objects.none()
        return targets_for_viewer(self.request.user).order_by(
            "rep_id", "metric__sort_order", "-effective_from"
        )

    @extend_schema(request=TargetWriteSerializer, responses={201: TargetSerializer})
    def create(self, request):
        serializer = TargetWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rep = users_visible_to(request.user).filter(pk=data["user"]).first()
        if rep is None:
            raise ValidationError({"user": [_("There is no such rep in your team.")]})
        metric = Metric.objects.filter(slug=data["metric"]).first()
        if metric is None:
            raise ValidationError({"metric": [_("There is no such metric.")]})
        target = target_set(
            rep=rep,
            metric=metric,
            period=data["period"],
            amount=data["amount"],
            effective_from=data["effective_from"],
            note=data["note"],
            reason=data["reason"],
            by=request.user,
        )
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TargetSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The rep agrees to this target ("I agree")."""
        target = target_acknowledge(target=self.get_object(), by=request.user)
        return Response(TargetSerializer(target).data)


class AttainmentView(APIView):
    """Actual against target for a rep (`?user=`, default you) or a team (`?team=`),
    for the day, ISO week or month holding `date` in the rep's local calendar."""

    @extend_schema(
        parameters=[AttainmentQuerySerializer],
        responses={
            200: PolymorphicProxySerializer(
                component_name="AttainmentResponse",
                serializers=[AttainmentSerializer, TeamAttainmentSerializer],
                resource_type_field_name=None,
            )
        },
        description=(
            "With `team`, the response is "
            '`{"team", "period", "start", "end", "results": [<as for a user>]}`.'
        ),
    )
    def get(self, request):
        query = AttainmentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        period = params["period"]
        viewer = request.user
        if "team" in params:
            team = Team.objects.filter(led_teams_q(viewer), pk=params["team"]).first()
            if team is None:
                raise Http404
            on = params.get("date") or viewer.local_date()
            start, end = period_bounds(period=period, on=on)
            results = attainment_for_team(team=team, period=period, on=on)
            return Response(
                TeamAttainmentSerializer(
                    {
                        "team": team.pk,
                        "period": period,
                        "start": start,
                        "end": end,
                        "results": results,
                    }
                ).data
            )
        rep = viewer
        if "user" in params and params["user"] != viewer.pk:
            rep = users_visible_to(viewer).filter(pk=params["user"]).first()
            if rep is None:
                raise Http404
        on = params.get("date") or rep.local_date()
        attainment = attainment_for_rep(rep=rep, period=period, on=on)
        return Response(AttainmentSerializer(attainment).data)


routes = [("targets", TargetViewSet, "target")]
urlpatterns = [path("attainment/", AttainmentView.as_view(), name="api-attainment")]
