"""Activities: quick logging and undo pages, and the metrics, activities, deals and
contacts API. Objects belong to team A's rep, except one entry of team A's manager."""

import datetime as dt

from django.utils import timezone

from activities.services import activity_log, contact_create, deal_log
from tests import factories
from tests.permission_matrix import (
    API_ANON,
    Row,
    everyone,
    team_a_manager_object,
    team_a_object,
)

API_ALL = everyone(200, anonymous=API_ANON)
API_TEAM_A = team_a_object(200, anonymous=API_ANON)


def activity_pk(world) -> dict:
    return {"pk": activity_log(rep=world["rep"], metric=factories.metric("calls")).pk}


def managers_activity_pk(world) -> dict:
    """Team A's manager's own entry: their manager above sees it, their rep does not."""
    activity = activity_log(rep=world["manager"], metric=factories.metric("calls"))
    return {"pk": activity.pk}


def last_weeks_activity_pk(world) -> dict:
    """An entry from a closed week: the rep may not undo it, their manager may."""
    then = timezone.now() - dt.timedelta(days=7)
    activity = activity_log(
        rep=world["rep"], metric=factories.metric("calls"), occurred_at=then, now=then
    )
    return {"pk": activity.pk}


def deal_pk(world) -> dict:
    factories.metric("deals")
    return {"pk": deal_log(rep=world["rep"], title="Acme", amount=100).pk}


def contact_pk(world) -> dict:
    return {"pk": contact_create(owner=world["rep"], name="Dora").pk}


ROWS = [
    Row(
        "activities:quick_log",
        everyone(302),
        method="post",
        data=lambda world: {"metric": factories.metric("calls").slug},
    ),
    # The rep is refused (closed week: a message and a redirect), their manager deletes
    # it, and the admin, coming last, finds it gone.
    Row(
        "activities:delete",
        team_a_object(302) | {"admin": 404},
        kwargs=last_weeks_activity_pk,
        method="post",
    ),
    Row("metric-list", API_ALL),
    Row(
        "metric-detail",
        API_ALL,
        kwargs=lambda world: {"slug": factories.metric("calls").slug},
    ),
    Row("activity-list", API_ALL),
    Row("activity-detail", API_TEAM_A, kwargs=activity_pk),
    Row(
        "activity-detail",
        team_a_manager_object(200, anonymous=API_ANON),
        kwargs=managers_activity_pk,
    ),
    Row("deal-list", API_ALL),
    Row("deal-detail", API_TEAM_A, kwargs=deal_pk),
    Row("contact-list", API_ALL),
    Row("contact-detail", API_TEAM_A, kwargs=contact_pk),
]
