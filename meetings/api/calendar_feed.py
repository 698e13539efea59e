"""The calendar feed through the API: its address, turned on, rotated, revoked."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from meetings import selectors, services


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        allow_null=True,
        help_text="The secret iCal address to subscribe to; null while the feed is off.",
    )


def calendar_feed_url(request, user: User) -> str | None:
    """The person's secret feed address, or None while their feed is off."""
    token = selectors.feed_token_for(user=user)
    if not token:
        return None
    return request.build_absolute_uri(reverse("meetings:feed", args=[token.token]))


class CalendarFeedView(APIView):
    """The caller's secret iCal feed: read its address, turn it on, rotate or revoke it.

    The same address is `ical_feed_url` in `GET /api/v1/me/`.
    """

    @extend_schema(
        summary="The feed's address",
        request=None,
        responses={200: CalendarFeedSerializer},
    )
    def get(self, request):
        return Response({"url": calendar_feed_url(request, request.user)})

    @extend_schema(
        summary="Turn the feed on",
        description="Idempotent: a feed that is on keeps its address (200); "
        "one that was off gets a new address (201).",
        request=None,
        responses={200: CalendarFeedSerializer, 201: CalendarFeedSerializer},
    )
    def put(self, request):
        _token, created = services.feed_token_turn_on(user=request.user)
        return Response(
            {"url": calendar_feed_url(request, request.user)},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Rotate the feed",
        description="A new address; the old one stops working at once. Turns the "
        "feed on if it was off.",
        request=None,
        responses={201: CalendarFeedSerializer},
    )
    def post(self, request):
        services.feed_token_rotate(user=request.user)
        return Response(
            {"url": calendar_feed_url(request, request.user)},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Revoke the feed",
        description="Switches the feed off: its address stops working.",
        request=None,
        responses={204: None},
    )
    def delete(self, request):
        services.feed_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
