"""What each webhook says: the event types, their payloads and the schema of each.

A payload is versioned JSON after Standard Webhooks: `type`, `version`, `timestamp` (when
it happened, UTC) and `data`. `data` is written by the event's serializer below from the
committed rows, so the schema documents exactly what is sent. Amounts are decimal
strings; times are ISO 8601 in UTC; dates are the rep's local dates.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from activities.models import Activity, Deal
from coaching.models import ImprovementPlan
from core.events import EVENTS
from meetings.models import Meeting
from targets.models import Flag, Kudos, Target

PAYLOAD_VERSION = "1"
TEST_EVENT = "webhook.test"


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField(source="get_full_name")


class ActivityData(serializers.Serializer):
    id = serializers.IntegerField()
    rep = PersonSerializer()
    metric = serializers.CharField(source="metric.slug")
    quantity = serializers.IntegerField()
    outcome = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    local_date = serializers.DateField()
    contact_id = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    source = serializers.CharField()


class DealData(serializers.Serializer):
    id = serializers.IntegerField()
    rep = PersonSerializer()
    title = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.SerializerMethodField()
    closed_at = serializers.DateTimeField()
    local_date = serializers.DateField()
    contact_id = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()

    def get_currency(self, deal) -> str:
        return settings.COMPANY_CURRENCY


class TargetItemData(serializers.Serializer):
    id = serializers.IntegerField()
    metric = serializers.CharField(source="metric.slug")
    period = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    effective_from = serializers.DateField()
    effective_until = serializers.DateField(allow_null=True)
    set_by_id = serializers.IntegerField(allow_null=True)
    agreed_at = serializers.DateTimeField(allow_null=True)


class TargetsAgreedData(serializers.Serializer):
    rep = PersonSerializer()
    targets = TargetItemData(many=True)


class FlagData(serializers.Serializer):
    id = serializers.IntegerField()
    rep = PersonSerializer()
    kind = serializers.CharField()
    status = serializers.CharField()
    metric = serializers.CharField(source="metric.slug")
    period = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2)
    percent = serializers.IntegerField()
    raised_at = serializers.DateTimeField(source="created_at")
    resolved_at = serializers.DateTimeField(allow_null=True)


class PlanData(serializers.Serializer):
    id = serializers.IntegerField()
    rep = PersonSerializer()
    status = serializers.CharField()
    flag_id = serializers.IntegerField(allow_null=True)
    opened_at = serializers.DateTimeField()
    review_until = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    close_reason = serializers.CharField()
    meeting_id = serializers.IntegerField(allow_null=True)


class KudosData(serializers.Serializer):
    id = serializers.IntegerField()
    rep = PersonSerializer()
    given_by = PersonSerializer(allow_null=True)
    message = serializers.CharField()
    is_system = serializers.BooleanField()
    period_start = serializers.DateField(allow_null=True)
    streak = serializers.IntegerField(allow_null=True)
    given_at = serializers.DateTimeField(source="created_at")


class MeetingData(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField()
    organiser = PersonSerializer()
    rep = PersonSerializer(allow_null=True)
    team_id = serializers.IntegerField(allow_null=True)
    series_id = serializers.IntegerField(allow_null=True)
    participants = PersonSerializer(many=True)
    video_url = serializers.CharField()


class PersonData(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    role = serializers.CharField()
    team_id = serializers.IntegerField(allow_null=True)
    timezone = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    language = serializers.CharField()


class TestData(serializers.Serializer):
    subscription_id = serializers.IntegerField()
    message = serializers.CharField()


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    serializer: type[serializers.Serializer]
    # Reads the committed rows for the event's ids; None when they are gone.
    read: Callable[[dict], object | None]


def _one(queryset, pk):
    return queryset.filter(pk=pk).first()


def _activity(ids):
    return _one(Activity.objects.select_related("rep", "metric"), ids["activity_id"])


def _deal(ids):
    return _one(Deal.objects.select_related("rep"), ids["deal_id"])


def _targets(ids):
    rep = User.objects.filter(pk=ids["rep_id"]).first()
    if rep is None:
        return None
    targets = list(
        Target.objects.filter(rep=rep, pk__in=ids["target_ids"])
        .select_related("metric")
        .order_by("pk")
    )
    return {"rep": rep, "targets": targets} if targets else None


def _flag(ids):
    return _one(Flag.objects.select_related("rep", "metric"), ids["flag_id"])


def _plan(ids):
    return _one(ImprovementPlan.objects.select_related("rep"), ids["plan_id"])


def _kudos(ids):
    return _one(Kudos.objects.select_related("rep", "given_by"), ids["kudos_id"])


def _meeting(ids):
    return _one(
        Meeting.objects.select_related("organiser", "rep").prefetch_related(
            "participants"
        ),
        ids["meeting_id"],
    )


def _person(ids):
    return User.objects.filter(pk=ids["user_id"]).first()


EVENT_TYPES: dict[str, EventType] = {
    event.name: event
    for event in [
        EventType(
            "activity.logged", _("A rep logged an activity."), ActivityData, _activity
        ),
        EventType("deal.won", _("A rep logged a won deal."), DealData, _deal),
        EventType(
            "target.agreed",
            _("Targets were agreed: set by a manager or accepted by the rep."),
            TargetsAgreedData,
            _targets,
        ),
        EventType("flag.raised", _("The review flagged a rep."), FlagData, _flag),
        EventType("flag.resolved", _("A flag was resolved."), FlagData, _flag),
        EventType("plan.opened", _("An improvement plan was opened."), PlanData, _plan),
        EventType("plan.closed", _("An improvement plan was closed."), PlanData, _plan),
        EventType(
            "kudos.given",
            _("A rep was praised, by a manager or by the review."),
            KudosData,
            _kudos,
        ),
        EventType(
            "meeting.scheduled", _("A meeting was scheduled."), MeetingData, _meeting
        ),
        EventType(
            "meeting.rescheduled", _("A meeting was moved."), MeetingData, _meeting
        ),
        EventType(
            "meeting.cancelled", _("A meeting was cancelled."), MeetingData, _meeting
        ),
        EventType(
            "person.onboarded",
            _("An admin added a person (they are sent an invitation)."),
            PersonData,
            _person,
        ),
    ]
}
assert set(EVENT_TYPES) == set(EVENTS), "every domain event has a webhook payload"


def event_choices() -> list[tuple[str, str]]:
    return [
        (name, f"{name}: {event.description}") for name, event in EVENT_TYPES.items()
    ]


def payload_data(event: str, ids: dict) -> dict | None:
    """The `data` of an event from its committed rows (None when they are gone)."""
    event_type = EVENT_TYPES[event]
    found = event_type.read(ids)
    if found is None:
        return None
    return dict(event_type.serializer(found).data)


def payload(*, event: str, data: dict, occurred_at) -> dict:
    return {
        "type": event,
        "version": PAYLOAD_VERSION,
        "timestamp": serializers.DateTimeField().to_representation(occurred_at),
        "data": data,
    }
