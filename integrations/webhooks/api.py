"""REST API of the webhooks (admins only): subscriptions, their deliveries, replays.

`POST /api/v1/webhook-subscriptions/` answers with the new subscription and its
`secret` (`whsec_…`), shown again only by `rotate-secret`. Every message is documented
as a callback of that operation, with an example payload per event type.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import IsAdmin
from activities.api import ID_REGEX
from core.params import MAX_ID
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from integrations.webhooks import selectors
from integrations.webhooks.deliveries import delivery_replay
from integrations.webhooks.payloads import EVENT_TYPES
from integrations.webhooks.schema import webhook_callbacks
from integrations.webhooks.subscriptions import (
    MAX_DESCRIPTION_LENGTH,
    MAX_URL_LENGTH,
    secret_rotate,
    subscription_create,
    subscription_delete,
    subscription_ping,
    subscription_update,
)


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "consecutive_failures",
            "previous_secret_expires_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    events = serializers.ListField(child=serializers.ChoiceField(list(EVENT_TYPES)))


class WebhookSubscriptionWithSecretSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(read_only=True)

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookSubscriptionWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=MAX_URL_LENGTH)
    events = serializers.ListField(
        child=serializers.ChoiceField(list(EVENT_TYPES)),
        allow_empty=False,
        max_length=len(EVENT_TYPES) * 2,
    )
    description = serializers.CharField(
        max_length=MAX_DESCRIPTION_LENGTH, required=False, allow_blank=True
    )
    is_active = serializers.BooleanField(required=False)


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "succeeded",
            "status_code",
            "error",
            "response_body",
        ]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    subscription = serializers.IntegerField(source="subscription_id", read_only=True)
    event = serializers.CharField(source="event.event", read_only=True)
    message_id = serializers.CharField(source="event.message_id", read_only=True)
    replay_of = serializers.IntegerField(
        source="replay_of_id", read_only=True, allow_null=True
    )
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "subscription",
            "event",
            "message_id",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_duration_ms",
            "last_error",
            "replay_of",
            "created_at",
            "finished_at",
            "attempt_log",
        ]
        read_only_fields = fields


class WebhookDeliveryDetailSerializer(WebhookDeliverySerializer):
    payload = serializers.JSONField(source="event.payload", read_only=True)

    class Meta(WebhookDeliverySerializer.Meta):
        fields = [*WebhookDeliverySerializer.Meta.fields, "payload"]
        read_only_fields = fields


def _pk(value) -> int:
    pk = int(value)
    if pk > MAX_ID:
        raise Http404
    return pk


class WebhookSubscriptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Webhook subscriptions (admins only): an address, the events it hears, a secret."""

    permission_classes = [IsAdmin]
    serializer_class = WebhookSubscriptionSerializer
    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookSubscription.objects.none()
        return selectors.subscriptions_for(self.request.user)

    def get_object(self):
        found = selectors.subscription_get(
            viewer=self.request.user, pk=_pk(self.kwargs["pk"])
        )
        if found is None:
            raise Http404
        return found

    @extend_schema(
        request=WebhookSubscriptionWriteSerializer,
        responses={201: WebhookSubscriptionWithSecretSerializer},
        callbacks=webhook_callbacks(),
    )
    def create(self, request):
        """Subscribe an address; the answer holds its secret (store it now)."""
        payload = WebhookSubscriptionWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        subscription = subscription_create(
            by=request.user,
            url=data["url"],
            events=data["events"],
            description=data.get("description", ""),
        )
        if data.get("is_active") is False:
            subscription_update(
                subscription=subscription, by=request.user, is_active=False
            )
        return Response(
            WebhookSubscriptionWithSecretSerializer(subscription).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=WebhookSubscriptionWriteSerializer,
        responses={200: WebhookSubscriptionSerializer},
    )
    def partial_update(self, request, pk=None):
        """Change the address, events or description; enable or disable it."""
        subscription = self.get_object()
        payload = WebhookSubscriptionWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        subscription = subscription_update(
            subscription=subscription, by=request.user, **payload.validated_data
        )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Remove the subscription and its delivery log."""
        subscription_delete(subscription=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None, responses={200: WebhookSubscriptionWithSecretSerializer}
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new secret; the old one keeps signing for `WEBHOOK_SECRET_GRACE_HOURS`."""
        subscription = secret_rotate(subscription=self.get_object(), by=request.user)
        return Response(WebhookSubscriptionWithSecretSerializer(subscription).data)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Queue a `webhook.test` message to the address (whatever its events)."""
        delivery = subscription_ping(subscription=self.get_object(), by=request.user)
        found = selectors.delivery_get(viewer=request.user, pk=delivery.pk)
        return Response(
            WebhookDeliverySerializer(found).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(responses={200: WebhookDeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The delivery log, newest first, each with its attempts."""
        queryset = selectors.deliveries_with_attempts(
            viewer=request.user, subscription=self.get_object()
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            WebhookDeliverySerializer(page, many=True).data
        )


class WebhookDeliveryViewSet(viewsets.GenericViewSet):
    """One delivery of a webhook (admins only): its payload, its attempts, a replay."""

    permission_classes = [IsAdmin]
    serializer_class = WebhookDeliveryDetailSerializer
    lookup_value_regex = ID_REGEX
    queryset = WebhookDelivery.objects.none()

    def get_object(self):
        found = selectors.delivery_get(
            viewer=self.request.user, pk=_pk(self.kwargs["pk"])
        )
        if found is None:
            raise Http404
        return found

    @extend_schema(responses={200: WebhookDeliveryDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(WebhookDeliveryDetailSerializer(self.get_object()).data)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        """Send the message again (same `webhook-id`, new timestamp and signature)."""
        replay = delivery_replay(delivery=self.get_object(), by=request.user)
        found = selectors.delivery_get(viewer=request.user, pk=replay.pk)
        return Response(
            WebhookDeliverySerializer(found).data, status=status.HTTP_202_ACCEPTED
        )


routes = [
    ("webhook-subscriptions", WebhookSubscriptionViewSet, "api-webhook-subscription"),
    ("webhook-deliveries", WebhookDeliveryViewSet, "api-webhook-delivery"),
]
