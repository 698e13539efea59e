"""The Dialers pages, under /integrations/dialers/ (names in the integrations namespace)."""

from django.urls import path

from integrations.calls import views

urlpatterns = [
    path("dialers/", views.dialers, name="dialers"),
    path("dialers/<int:pk>/", views.dialer_source, name="dialer_source"),
    path("dialers/unmatched/", views.unmatched_calls, name="unmatched_calls"),
    path(
        "dialers/unmatched/<int:pk>/assign/",
        views.unmatched_call_assign,
        name="unmatched_call_assign",
    ),
    path(
        "dialers/unmatched/<int:pk>/dismiss/",
        views.unmatched_call_dismiss,
        name="unmatched_call_dismiss",
    ),
]
