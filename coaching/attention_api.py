"""`GET /api/v1/attention/?team=&month=`: where the manager's time went in a month,
thin over `coaching.attention`.

For the manager of the team and admins; anyone else gets a 404 (a rep never reads
another rep's row).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team
from accounts.permissions import led_teams_q
from coaching.attention import attention_ledger, ledger_month
from core.params import MAX_ID
from targets.attainment import ATTAINMENT_STATUSES


class AttentionQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("A team you lead (admins: any)")
    )
    month = serializers.CharField(
        required=False,
        max_length=7,
        help_text=_("YYYY-MM; default: this month in your calendar"),
    )

    def validate_month(self, value):
        try:
            return ledger_month(value, this_month=self.context["this_month"])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class AttentionRowSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="rep.pk")
    name = serializers.CharField(source="rep")
    minutes = serializers.IntegerField(
        help_text=_("One-on-one, coaching and goal-setting minutes held")
    )
    check_ins = serializers.IntegerField()
    comments = serializers.IntegerField(
        help_text=_("Kudos and action items written to the rep by someone else")
    )
    quota_metric = serializers.CharField(
        source="quota.metric", allow_null=True, help_text=_("The team's quota metric")
    )
    quota_percent = serializers.IntegerField(source="quota.percent", allow_null=True)
    quota_status = serializers.ChoiceField(
        source="quota.status",
        choices=ATTAINMENT_STATUSES,
        allow_null=True,
    )
    below_quota = serializers.BooleanField()
    at_risk = serializers.BooleanField()
    on_quota = serializers.BooleanField()
    last_one_on_one = serializers.DateField(
        source="last_met_on",
        allow_null=True,
        help_text=_("In the rep's calendar"),
    )


class UpsideDownSerializer(serializers.Serializer):
    on_quota_percent = serializers.IntegerField()
    neglected = serializers.SerializerMethodField()
    days = serializers.IntegerField()
    message = serializers.CharField(source="sentence")

    def get_neglected(self, upside_down) -> list[int]:
        """The ids of the reps below quota or at risk who had no recent one-on-one."""
        return [rep.pk for rep in upside_down.neglected]


class AttentionSerializer(serializers.Serializer):
    team = serializers.IntegerField(source="team.pk")
    month = serializers.DateField(help_text=_("The first of the month"))
    total_minutes = serializers.IntegerField()
    upside_down = UpsideDownSerializer(allow_null=True)
    results = AttentionRowSerializer(many=True, source="rows")


class AttentionView(APIView):
    """A month of one-on-one minutes, check-ins and comments per active rep of a team,
    against each rep's results, and whether that attention is upside down: most
    minutes went to reps on quota while a rep below quota had none lately. Reps who
    need attention (below quota, behind pace or at risk) come first, then by name."""

    @extend_schema(
        parameters=[AttentionQuerySerializer],
        responses={200: AttentionSerializer},
    )
    def get(self, request):
        viewer = request.user
        this_month = viewer.local_date().replace(day=1)
        query = AttentionQuerySerializer(
            data=request.query_params, context={"this_month": this_month}
        )
        query.is_valid(raise_exception=True)
        params = query.validated_data
        team = Team.objects.filter(led_teams_q(viewer), pk=params["team"]).first()
        if team is None:
            raise Http404
        ledger = attention_ledger(team=team, month=params.get("month", this_month))
        return Response(AttentionSerializer(ledger).data)


urlpatterns = [path("attention/", AttentionView.as_view(), name="api-attention")]
