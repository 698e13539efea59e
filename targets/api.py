"""REST API for targets."""

routes: list = []
urlpatterns: list = []
