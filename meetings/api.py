"""REST API for meetings."""

routes: list = []
urlpatterns: list = []
