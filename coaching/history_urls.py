"""Pages for bringing a team's history (under /history/)."""

from django.urls import path

from coaching import history_views

app_name = "history"
urlpatterns = [
    path("", history_views.history_import, name="import"),
    path("<int:pk>/", history_views.history_import_job, name="job"),
    path(
        "template/<slug:kind>.csv",
        history_views.history_import_template,
        name="template",
    ),
    path("replay/", history_views.history_replay_run, name="replay"),
]
