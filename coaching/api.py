"""REST API for improvement plans: `?user=`, `?status=open|closed`."""

import django_filters
from rest_framework import mixins, serializers, viewsets

from coaching import attention_api, diagnosis_api
from coaching.models import ImprovementPlan, PlanGoal, PlanStatus
from coaching.selectors import plans_for_viewer
from core.api_filters import IdFilter


class PlanGoalSerializer(serializers.ModelSerializer):
    """An activity goal (`metric`, `period`, `amount`) or a rate goal (`stage`, and no
    metric: `amount` is a percent for connect, appointment and close, calls a work day
    for volume, money for deal_size; `baseline` is the rep's rate when the plan opened).
    """

    metric = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = PlanGoal
        fields = ["metric", "stage", "period", "amount", "baseline"]
        read_only_fields = fields


class ImprovementPlanSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="rep_id", read_only=True)
    flag = serializers.IntegerField(source="flag_id", read_only=True)
    meeting = serializers.IntegerField(
        source="meeting_id", read_only=True, allow_null=True
    )
    goals = PlanGoalSerializer(many=True, read_only=True)

    class Meta:
        model = ImprovementPlan
        fields = [
            "id",
            "user",
            "flag",
            "status",
            "opened_at",
            "review_until",
            "recovery_months",
            "check_in_days",
            "meeting",
            "acknowledged_at",
            "closed_at",
            "close_reason",
            "goals_from",
            "goals",
        ]
        read_only_fields = fields


class PlanFilter(django_filters.FilterSet):
    user = IdFilter(field_name="rep_id")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = ImprovementPlan
        fields = ["user", "status"]


class ImprovementPlanViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Improvement plans the caller may see."""

    serializer_class = ImprovementPlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImprovementPlan.objects.none()
        return (
            plans_for_viewer(self.request.user)
            .prefetch_related("goals__metric")
            .order_by("-opened_at", "-pk")
        )


routes = [("improvement-plans", ImprovementPlanViewSet, "api-improvement-plan")]
urlpatterns: list = [*diagnosis_api.urlpatterns, *attention_api.urlpatterns]
