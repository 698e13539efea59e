"""The integrations' API: viewsets (`routes`) and plain views (`urlpatterns`)."""

from integrations.webhooks import api as webhooks_api

routes = [*webhooks_api.routes]
urlpatterns = []
