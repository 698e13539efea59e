"""Serializers for activities, deals, contacts and metrics: the API contract."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from activities.models import CallOutcome, Contact, Deal, Metric
from core.api_fields import (
    FREE_TEXT_MAX_LENGTH,
    FreeTextField,
    OffsetDateTimeField,
)
from core.params import MAX_ID


class MetricSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text=_("activity or result"))
    unit = serializers.CharField(read_only=True, help_text=_("count or money"))

    class Meta:
        model = Metric
        fields = ["slug", "name", "label", "kind", "unit", "is_active", "sort_order"]
        read_only_fields = ["kind", "unit"]


class MetricCreateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=40)
    name = serializers.CharField(max_length=80)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, default=100)


class MetricUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    sort_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    is_active = serializers.BooleanField(required=False)


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(source="rep_id", read_only=True)
    metric = serializers.CharField(source="metric.slug", read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    local_date = serializers.DateField(read_only=True)
    contact = serializers.IntegerField(
        source="contact_id", read_only=True, allow_null=True
    )
    outcome = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ActivityWriteSerializer(serializers.Serializer):
    """The body of POST /activities/; the rules are the service's."""

    user = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Whose entry (managers only); default: you."),
    )
    metric = serializers.SlugField(max_length=40, help_text=_('e.g. "calls"'))
    quantity = serializers.IntegerField(default=1, help_text=_("1 to 500"))
    occurred_at = OffsetDateTimeField(required=False)
    outcome = serializers.ChoiceField(
        choices=CallOutcome.choices, required=False, allow_blank=True, default=""
    )
    contact = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    note = FreeTextField(required=False, allow_blank=True, default="")


class ActivityUpdateSerializer(serializers.Serializer):
    metric = serializers.SlugField(max_length=40, required=False)
    quantity = serializers.IntegerField(required=False)
    occurred_at = OffsetDateTimeField(required=False)
    outcome = serializers.ChoiceField(
        choices=CallOutcome.choices, required=False, allow_blank=True
    )
    contact = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    note = FreeTextField(required=False, allow_blank=True)


class DealSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="rep_id", read_only=True)
    currency = serializers.SerializerMethodField()

    class Meta:
        model = Deal
        fields = [
            "id",
            "user",
            "title",
            "amount",
            "currency",
            "closed_at",
            "local_date",
            "contact",
            "note",
            "source",
            "created_at",
        ]
        read_only_fields = fields

    def get_currency(self, deal) -> str:
        return settings.COMPANY_CURRENCY


class DealWriteSerializer(serializers.Serializer):
    user = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Whose deal (managers only); default: you."),
    )
    title = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text=_("In the company currency")
    )
    closed_at = OffsetDateTimeField(required=False)
    contact = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    note = FreeTextField(required=False, allow_blank=True, default="")


class DealUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    closed_at = OffsetDateTimeField(required=False)
    contact = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    note = FreeTextField(required=False, allow_blank=True)


class ContactSerializer(serializers.ModelSerializer):
    owner = serializers.IntegerField(
        source="owner_id",
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("The rep whose contact this is (managers only); default: you."),
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "owner",
            "name",
            "company",
            "email",
            "phone",
            "notes",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"notes": {"max_length": FREE_TEXT_MAX_LENGTH}}
