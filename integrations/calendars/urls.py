"""Pages of the two-way calendars (included by `integrations.urls`)."""

from django.urls import path

from integrations.calendars import views

urlpatterns = [
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/sync/", views.calendar_sync_now, name="calendar_sync"),
    path(
        "calendar/disconnect/",
        views.calendar_disconnect_view,
        name="calendar_disconnect",
    ),
]
