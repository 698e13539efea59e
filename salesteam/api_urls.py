"""The /api/v1/ router: every app contributes its viewsets (`routes`) and plain views."""

from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from accounts import auth_api
from activities import api as activities_api
from coaching import api as coaching_api
from coaching import history_api
from integrations import api as integrations_api
from meetings import api as meetings_api
from targets import api as targets_api
from targets import personal_goals_api, ramp_api, review_api

APP_APIS = [
    auth_api,
    accounts_api,
    activities_api,
    targets_api,
    review_api,
    personal_goals_api,
    ramp_api,
    meetings_api,
    coaching_api,
    history_api,
    integrations_api,
]

router = DefaultRouter()
# One URL per resource: no ".json" suffix twins (they would share names and rows).
router.include_format_suffixes = False
for app_api in APP_APIS:
    for prefix, viewset, basename in app_api.routes:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    pattern for app_api in APP_APIS for pattern in app_api.urlpatterns
] + router.urls
