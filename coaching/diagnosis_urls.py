"""Pages of the diagnosis (under /coaching/): a rep's panel and the team's funnel."""

from django.urls import path

from coaching import diagnosis_views

app_name = "diagnosis"
urlpatterns = [
    path("funnel/", diagnosis_views.team_funnel, name="funnel"),
    path("diagnosis/<int:pk>/panel/", diagnosis_views.rep_panel, name="panel"),
]
