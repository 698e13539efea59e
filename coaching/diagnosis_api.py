"""`GET /api/v1/diagnosis/`: a rep's diagnosis (`?user=`, default you) or a team's
(`?team=`), thin over `coaching.diagnosis` and `targets.forecast`."""

from decimal import ROUND_HALF_UP, Decimal

from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team
from accounts.permissions import led_teams_q
from accounts.selectors import users_visible_to
from coaching.diagnosis import diagnose_team, diagnoses_for
from coaching.models import FunnelStage
from core.params import MAX_ID
from targets.forecast import month_forecasts
from targets.serializers import validate_calendar_date

MAX_WINDOW_DAYS = 366


class DiagnosisQuerySerializer(serializers.Serializer):
    user = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Default: you")
    )
    team = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Instead of user: every rep of a team you lead"),
    )
    date = serializers.DateField(
        required=False,
        validators=[validate_calendar_date],
        help_text=_(
            "The window ends the day before this local date; default: each rep's today"
        ),
    )
    days = serializers.IntegerField(
        required=False,
        min_value=7,
        max_value=MAX_WINDOW_DAYS,
        help_text=_("The window's length in days (default 90)"),
    )

    def validate(self, attrs):
        if "user" in attrs and "team" in attrs:
            raise serializers.ValidationError(
                {"team": [_("Give a user or a team, not both.")]}
            )
        return attrs


@extend_schema_field(OpenApiTypes.DOUBLE)
class RateField(serializers.Field):
    """An exact rate, shown to four decimals (a share, calls a work day or money)."""

    def to_representation(self, value):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return float(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _money_field(**kwargs):
    return serializers.DecimalField(
        max_digits=20, decimal_places=2, coerce_to_string=False, **kwargs
    )


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=FunnelStage.choices)
    rep_rate = RateField(allow_null=True)
    team_median = RateField(allow_null=True)
    team_top_quartile = RateField(allow_null=True)
    previous_rate = RateField(allow_null=True)
    events = serializers.IntegerField()
    judged = serializers.BooleanField()
    rate = RateField(
        help_text=_("The rate used: the rep's when judged, else the team's")
    )
    gain = RateField(help_text=_("Revenue gained at the team's median"))


class ConstraintSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=FunnelStage.choices)
    kind = serializers.ChoiceField(
        choices=["volume", "connecting", "booking", "closing"]
    )
    lost_revenue = _money_field()
    rep_rate = RateField()
    team_rate = RateField()


class RequiredActivitySerializer(serializers.Serializer):
    calls = serializers.IntegerField(allow_null=True)
    calls_per_work_day = serializers.IntegerField(allow_null=True)
    appointments = serializers.IntegerField(allow_null=True)
    connected = serializers.IntegerField(allow_null=True)
    deals = serializers.IntegerField(allow_null=True)
    quota = _money_field()
    quota_metric = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    work_days = serializers.IntegerField()
    assumptions = serializers.SerializerMethodField()
    ceiling_calls_per_work_day = RateField(allow_null=True)
    exceeds_ceiling = serializers.BooleanField()
    reachable = serializers.BooleanField()

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "number"}})
    def get_assumptions(self, required) -> dict:
        return {
            stage: RateField().to_representation(rate)
            for stage, rate in required.rates.items()
        }


class RequiredSerializer(RequiredActivitySerializer):
    at_team_rate = RequiredActivitySerializer(
        allow_null=True,
        help_text=_("The same with the constraint's stage at the team's rate"),
    )


class ForecastSerializer(serializers.Serializer):
    low = _money_field()
    expected = _money_field()
    high = _money_field()
    quota = _money_field(allow_null=True)


class MixSerializer(serializers.Serializer):
    calls = serializers.IntegerField()
    emails = serializers.IntegerField()
    thank_you_notes = serializers.IntegerField()
    appointments = serializers.IntegerField()
    work_days = serializers.IntegerField()


class DiagnosisSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="rep.pk")
    first = serializers.DateField(source="window.first")
    last = serializers.DateField(source="window.last")
    previous_first = serializers.DateField(source="window.previous_first")
    previous_last = serializers.DateField(source="window.previous_last")
    stages = StageSerializer(many=True)
    constraint = ConstraintSerializer(allow_null=True)
    required = serializers.SerializerMethodField()
    mix = MixSerializer()
    forecast = serializers.SerializerMethodField()
    sentence = serializers.SerializerMethodField()

    @extend_schema_field(RequiredSerializer(allow_null=True))
    def get_required(self, diagnosis):
        if diagnosis.required is None:
            return None
        data = RequiredActivitySerializer(diagnosis.required).data
        team = diagnosis.required_at_team_rate
        data["at_team_rate"] = (
            None if team is None else RequiredActivitySerializer(team).data
        )
        return data

    @extend_schema_field(ForecastSerializer(allow_null=True))
    def get_forecast(self, diagnosis):
        forecast = self.context["forecasts"].get(diagnosis.rep.pk)
        return None if forecast is None else ForecastSerializer(forecast).data

    def get_sentence(self, diagnosis) -> str:
        """In the viewer's language; in the second person when the viewer is the rep."""
        return diagnosis.sentence(for_rep=diagnosis.rep.pk == self.context["viewer"])


class TeamDiagnosisSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    results = DiagnosisSerializer(many=True)


class DiagnosisView(APIView):
    """Why a rep is where they are: their funnel against the team's median and top
    quartile, the constraint, the activity that reaches the next quota and the running
    month's forecast. A rep asks about themselves; a manager about the reps of the
    teams they lead (`?team=` lists one)."""

    @extend_schema(
        parameters=[DiagnosisQuerySerializer],
        responses={
            200: PolymorphicProxySerializer(
                component_name="DiagnosisResponse",
                serializers=[DiagnosisSerializer, TeamDiagnosisSerializer],
                resource_type_field_name=None,
            )
        },
        description=(
            'With `team`, the response is `{"team", "results": [<as for a user>]}`. '
            "Rates are shares for connect, appointment and close, calls a work day "
            "for volume and money for deal_size."
        ),
    )
    def get(self, request):
        query = DiagnosisQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        viewer = request.user
        window = {"on": params.get("date"), "days": params.get("days")}
        if "team" in params:
            team = Team.objects.filter(led_teams_q(viewer), pk=params["team"]).first()
            if team is None:
                raise Http404
            diagnoses = diagnose_team(team, **window)
            context = self._context(viewer, [d.rep for d in diagnoses], params)
            return Response(
                TeamDiagnosisSerializer(
                    {"team": team.pk, "results": diagnoses}, context=context
                ).data
            )
        rep = viewer
        if "user" in params and params["user"] != viewer.pk:
            rep = users_visible_to(viewer).filter(pk=params["user"]).first()
            if rep is None:
                raise Http404
        diagnosis = diagnoses_for([rep], **window)[rep.pk]
        context = self._context(viewer, [rep], params)
        return Response(DiagnosisSerializer(diagnosis, context=context).data)

    def _context(self, viewer, reps, params) -> dict:
        return {
            "viewer": viewer.pk,
            "forecasts": month_forecasts(reps, today=params.get("date")),
        }


urlpatterns = [path("diagnosis/", DiagnosisView.as_view(), name="api-diagnosis")]
