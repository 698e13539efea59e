"""The integrations' API: viewsets (`routes`) and plain views (`urlpatterns`)."""

routes = []
urlpatterns = []
