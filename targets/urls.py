"""Pages of the targets app."""

from django.urls import path

from targets import (
    dashboard_views,
    personal_goal_views,
    ramp_views,
    review_views,
    views,
)

app_name = "targets"
urlpatterns = [
    path("", views.target_list, name="list"),
    path("today/panel/", views.today_panel, name="today_panel"),
    path("<int:pk>/agree/", views.target_agree, name="agree"),
    path("reps/<int:pk>/agreed/", views.targets_agree_page, name="agree_targets"),
    path("reps/<int:pk>/ramp/", ramp_views.ramp_change_page, name="ramp_change"),
    path("reps/<int:pk>/ramp/end/", ramp_views.ramp_end_page, name="ramp_end"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/export.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path("leaderboard/", dashboard_views.leaderboard, name="leaderboard"),
    path("results/", dashboard_views.my_results, name="my_results"),
    path("results/<int:pk>/", dashboard_views.rep_results, name="rep_results"),
    path("results/goals/", personal_goal_views.personal_goal_save, name="goal_save"),
    path(
        "results/goals/<int:pk>/share/",
        personal_goal_views.personal_goal_share,
        name="goal_share",
    ),
    path(
        "results/goals/<int:pk>/delete/",
        personal_goal_views.personal_goal_remove,
        name="goal_delete",
    ),
    path("kudos/", review_views.kudos_feed, name="kudos"),
    path("attention/", review_views.needs_attention, name="needs_attention"),
]
