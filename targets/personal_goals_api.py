"""REST API for personal goals (thin: `targets.personal_goals` decides).

A person lists, creates, changes and removes their own goals; `?user=` lists another
person's goals as the viewer may see them (a manager: the ones their rep shares).
"""

from decimal import Decimal

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from activities.metric_cache import metric_by_slug
from activities.periods import PERIOD_CHOICES
from core.api_filters import IdFilter
from targets.models import PersonalGoal
from targets.personal_goals import (
    personal_goal_delete,
    personal_goal_set,
    personal_goal_update,
    personal_goals_visible_to,
)

AMOUNT = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


class PersonalGoalSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="rep_id", read_only=True)
    metric = serializers.CharField(source="metric.slug", read_only=True)

    class Meta:
        model = PersonalGoal
        fields = [
            "id",
            "user",
            "metric",
            "period",
            "amount",
            "shared",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonalGoalCreateSerializer(serializers.Serializer):
    metric = serializers.CharField(max_length=50)
    period = serializers.ChoiceField(choices=PERIOD_CHOICES)
    amount = serializers.DecimalField(**AMOUNT)
    shared = serializers.BooleanField(default=False)


class PersonalGoalUpdateSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**AMOUNT, required=False)
    shared = serializers.BooleanField(required=False)


class PersonalGoalFilter(django_filters.FilterSet):
    user = IdFilter(field_name="rep_id")

    class Meta:
        model = PersonalGoal
        fields = ["user"]


class PersonalGoalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your personal goals above your agreed targets (in the target's own period).

    `POST` sets the goal for a metric and period (replacing one you had); `PATCH`
    changes its amount or whether your manager sees it (`shared`). Without `?user=`
    the list is your own; with it, that person's goals as you may see them.
    """

    serializer_class = PersonalGoalSerializer
    filterset_class = PersonalGoalFilter
    lookup_value_regex = r"[0-9]{1,18}"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PersonalGoal.objects.none()
        viewer = self.request.user
        if self.action in ("partial_update", "destroy"):
            goals = PersonalGoal.objects.filter(rep=viewer)
        else:
            goals = personal_goals_visible_to(viewer)
            if self.action == "list" and "user" not in self.request.query_params:
                goals = goals.filter(rep=viewer)
        return goals.select_related("metric").order_by(
            "rep_id", "metric__sort_order", "period", "pk"
        )

    @extend_schema(
        request=PersonalGoalCreateSerializer, responses={201: PersonalGoalSerializer}
    )
    def create(self, request):
        serializer = PersonalGoalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        metric = metric_by_slug(data["metric"])
        if metric is None:
            raise ValidationError({"metric": [_("There is no such metric.")]})
        goal = personal_goal_set(
            rep=request.user,
            metric=metric,
            period=data["period"],
            amount=data["amount"],
            shared=data["shared"],
        )
        return Response(
            PersonalGoalSerializer(goal).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=PersonalGoalUpdateSerializer, responses={200: PersonalGoalSerializer}
    )
    def partial_update(self, request, pk=None):
        goal = self.get_object()
        serializer = PersonalGoalUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        goal = personal_goal_update(goal=goal, **serializer.validated_data)
        return Response(PersonalGoalSerializer(goal).data)

    def perform_destroy(self, instance):
        personal_goal_delete(goal=instance)


routes = [("personal-goals", PersonalGoalViewSet, "api-personal-goal")]
urlpatterns: list = []
