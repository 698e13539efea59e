"""REST API for activities."""

routes: list = []
urlpatterns: list = []
