"""Pages of the targets app."""

from django.urls import path

from targets import views

app_name = "targets"
urlpatterns = [
    path("", views.target_list, name="list"),
    path("today/panel/", views.today_panel, name="today_panel"),
    path("<int:pk>/agree/", views.target_agree, name="agree"),
]
