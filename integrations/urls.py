"""Pages of the integrations (admins' subscriptions and calls, each person's calendar)."""

from integrations.calls import urls as calls_urls

app_name = "integrations"

urlpatterns = [*calls_urls.urlpatterns]
