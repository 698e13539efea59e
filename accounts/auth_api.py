"""API authentication: exchanging an email and password for a token, and revoking it."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import TokenRequestSerializer, TokenSerializer
from accounts.tokens import TokenAuthentication, token_issue, token_revoke
from core.api_throttling import ScopedRateThrottle


class TokenView(APIView):
    """POST: an email and password for an API token; DELETE: revoke the caller's token.

    Both have the tight "token" throttle scope: this is where passwords are guessed.
    """

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def get_authenticators(self):
        # Logging in needs no credentials (a stale token header must not block it);
        # revoking needs the very token being revoked.
        if self._revoking():
            return [TokenAuthentication()]
        return []

    def get_permissions(self):
        if self._revoking():
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def _revoking(self) -> bool:
        # The schema generator asks before it has a request.
        return getattr(self.request, "method", None) == "DELETE"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        token = token_issue(user=serializer.validated_data["user"])
        return Response({"token": token}, status=status.HTTP_200_OK)

    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description=_("The token no longer works."))},
    )
    def delete(self, request):
        if isinstance(request.auth, AuthToken):
            token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


routes: list = []
urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token")]
