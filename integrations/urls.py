"""Pages of the integrations (admins' subscriptions and calls, each person's calendar)."""

from integrations.calendars import urls as calendar_urls

app_name = "integrations"

urlpatterns = [*calendar_urls.urlpatterns]
