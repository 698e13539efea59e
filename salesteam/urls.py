"""Root URLs."""

from django.contrib import admin
from django.urls import include, path

from accounts.language import language_switch
from salesteam import api_docs, health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("activities/", include("activities.urls")),
    path("targets/", include("targets.urls")),
    # Plans kept the paths they had under meetings/, so links already sent still work.
    path("meetings/plans/", include("coaching.urls")),
    path("meetings/", include("meetings.urls")),
    path("history/", include("coaching.history_urls")),
    path("coaching/attention/", include("coaching.attention_urls")),
    path("coaching/", include("coaching.diagnosis_urls")),
    path("integrations/", include("integrations.urls")),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("salesteam.api_urls")),
    path("api/schema/", api_docs.SchemaView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        api_docs.SwaggerView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]

handler403 = "salesteam.views.error_403"
handler404 = "salesteam.views.error_404"
handler500 = "salesteam.views.error_500"
