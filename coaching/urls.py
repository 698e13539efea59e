"""Pages of the coaching app: improvement plans (under /meetings/plans/, where they began)."""

from django.urls import path

from coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/acknowledge/", views.plan_acknowledge, name="plan_acknowledge"),
    path("<int:pk>/close/", views.plan_close, name="plan_close"),
    path("<int:pk>/extend/", views.plan_extend, name="plan_extend"),
    path("<int:pk>/goals/<int:goal_pk>/", views.plan_goal, name="plan_goal"),
]
