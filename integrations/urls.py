"""Pages of the integrations (admins' subscriptions and calls, each person's calendar)."""

from django.urls import path

from integrations.calendars import urls as calendar_urls
from integrations.calls import urls as calls_urls
from integrations.webhooks import views as webhook_views

app_name = "integrations"

urlpatterns = [
    *calendar_urls.urlpatterns,
    *calls_urls.urlpatterns,
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/new/", webhook_views.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook"),
    path("webhooks/<int:pk>/edit/", webhook_views.webhook_edit, name="webhook_edit"),
    path(
        "webhooks/<int:pk>/toggle/", webhook_views.webhook_toggle, name="webhook_toggle"
    ),
    path(
        "webhooks/<int:pk>/rotate/", webhook_views.webhook_rotate, name="webhook_rotate"
    ),
    path("webhooks/<int:pk>/test/", webhook_views.webhook_test, name="webhook_test"),
    path(
        "webhooks/<int:pk>/delete/", webhook_views.webhook_delete, name="webhook_delete"
    ),
    path(
        "webhooks/deliveries/<int:pk>/",
        webhook_views.webhook_delivery,
        name="webhook_delivery",
    ),
    path(
        "webhooks/deliveries/<int:pk>/replay/",
        webhook_views.webhook_replay,
        name="webhook_replay",
    ),
]
