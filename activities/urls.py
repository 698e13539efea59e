"""Pages of the activities app."""

from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("log/", views.quick_log, name="quick_log"),
    path("<int:pk>/delete/", views.activity_remove, name="delete"),
]
