"""Serializers for targets and attainment: the API contract."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from activities.periods import PERIOD_CHOICES
from core.api_fields import FreeTextField
from core.params import MAX_ID
from targets.attainment import ATTAINMENT_STATUSES
from targets.models import Target


def validate_calendar_date(value):
    """Keep dates where calendars make sense (and period arithmetic cannot overflow)."""
    if not 1970 <= value.year <= 2999:
        raise serializers.ValidationError(_("Give a date between 1970 and 2999."))


class TargetSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="rep_id", read_only=True)
    metric = serializers.CharField(source="metric.slug", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "user",
            "metric",
            "period",
            "amount",
            "effective_from",
            "effective_until",
            "set_by",
            "agreed_at",
            "note",
            "reason",
            "created_at",
            "superseded_at",
            "superseded_by",
        ]
        read_only_fields = fields


class TargetWriteSerializer(serializers.Serializer):
    """A manager agrees a new target; a running one is closed and kept as history.

    One that took effect today may be replaced from today (day one): it is kept with
    `superseded_at` / `superseded_by` and in force on no day.
    """

    user = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    metric = serializers.SlugField(max_length=40, help_text=_('e.g. "calls"'))
    period = serializers.ChoiceField(choices=PERIOD_CHOICES)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    effective_from = serializers.DateField(validators=[validate_calendar_date])
    note = FreeTextField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "Why the target goes up: required (400 without it) to raise the target "
            "of a rep on quota for PROVEN_MONTHS closed months in a row; the rep is "
            "told."
        ),
    )


class AttainmentQuerySerializer(serializers.Serializer):
    user = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("Default: you")
    )
    team = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Instead of user: every rep of a team"),
    )
    period = serializers.ChoiceField(choices=PERIOD_CHOICES, default="week")
    date = serializers.DateField(
        required=False,
        validators=[validate_calendar_date],
        help_text=_("A local date in the period; default: today"),
    )


class MetricAttainmentSerializer(serializers.Serializer):
    metric = serializers.CharField()
    target = serializers.DecimalField(
        max_digits=16, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    actual = serializers.DecimalField(
        max_digits=16, decimal_places=2, coerce_to_string=False
    )
    percent = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=ATTAINMENT_STATUSES)


class RampStepSerializer(serializers.Serializer):
    weeks = serializers.IntegerField()
    percent = serializers.IntegerField()


class RampSerializer(serializers.Serializer):
    """The rep's ramp: targets count at each step's percent, in the rep's calendar."""

    starts_on = serializers.DateField()
    full_from = serializers.DateField(help_text=_("The first day of the full targets"))
    steps = RampStepSerializer(many=True)


class AttainmentSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="rep.pk")
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    metrics = MetricAttainmentSerializer(many=True)
    ramp = RampSerializer(allow_null=True, help_text=_("Null: no ramp"))


class TeamAttainmentSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    period = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    results = AttainmentSerializer(many=True)
