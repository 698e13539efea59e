"""Pages of the integrations (admins' subscriptions and calls, each person's calendar)."""

app_name = "integrations"

urlpatterns = []
