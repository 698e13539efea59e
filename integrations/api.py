"""The integrations' API: viewsets (`routes`) and plain views (`urlpatterns`)."""

from integrations.calls import api as calls_api
from integrations.webhooks import api as webhooks_api

routes = [*webhooks_api.routes, *calls_api.routes]
urlpatterns = [*calls_api.urlpatterns]
