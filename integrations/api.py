"""The integrations' API: viewsets (`routes`) and plain views (`urlpatterns`)."""

from integrations.calls import api as calls_api

routes = [*calls_api.routes]
urlpatterns = [*calls_api.urlpatterns]
