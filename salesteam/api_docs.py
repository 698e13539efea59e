"""The OpenAPI schema and its Swagger UI: open on a laptop, behind a login in production.

`API_DOCS_PUBLIC` opens or closes them; unset, they are open exactly while DEBUG is on.
Both are read per request. The UI is drf-spectacular's split view: its script is a file of
its own, which the Content-Security-Policy allows, not an inline block.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import BasePermission


def docs_are_open_to(user) -> bool:
    public = settings.API_DOCS_PUBLIC
    if public is None:
        public = settings.DEBUG
    return public or user.is_authenticated


class ApiDocsAccess(BasePermission):
    def has_permission(self, request, view) -> bool:
        return docs_are_open_to(request.user)


class SchemaView(SpectacularAPIView):
    permission_classes = [ApiDocsAccess]


class SwaggerView(SpectacularSwaggerSplitView):
    """A person without a login is sent to the login page, not shown a JSON error."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not docs_are_open_to(request.user):
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
