"""Where the manager's time goes (under /coaching/attention/)."""

from django.urls import path

from coaching import attention_views

app_name = "attention"
urlpatterns = [
    path("", attention_views.attention_page, name="ledger"),
]
