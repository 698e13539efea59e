"""Exact query counts of the review's pages and list endpoints, the same for 2 and 20 rows."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.notifications import notify
from coaching.models import ImprovementPlan
from targets.models import Flag, Kudos
from tests import factories
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db


def review_output(team, count: int) -> None:
    """`count` reps of the team, each with a flag, a plan, kudos and a notification."""
    revenue = factories.metric("revenue")
    for _ in range(count):
        rep = factories.RepFactory(team=team)
        flag = Flag.objects.create(
            rep=rep,
            kind="below_quota",
            metric=revenue,
            period="month",
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 10, 31),
            target=10000,
            actual=6400,
            percent=64,
        )
        ImprovementPlan.objects.create(
            rep=rep,
            flag=flag,
            opened_at=timezone.now(),
            review_until=dt.date(2027, 1, 1),
        )
        Kudos.objects.create(rep=rep, message="Well done", given_by=team.manager)
        notify(user=team.manager, key=f"flag:{flag.pk}", kind="flag", title="Flag")


# session, user, unread notifications (navigation) and then what each page reads
PAGES = {
    "/targets/kudos/": 6,  # + count, reps for the kudos form, page of kudos
    "/targets/attention/": 4,  # + open flags
    "/meetings/plans/": 5,  # + count, page of plans
    "/accounts/notifications/": 5,  # + count, page of notifications
}
# count and page (the improvement plans' goals: one prefetch)
ENDPOINTS = {
    "/api/v1/flags/": 2,
    "/api/v1/kudos/": 2,
    "/api/v1/improvement-plans/": 3,
    "/api/v1/notifications/": 2,
}


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize(("path", "queries"), PAGES.items())
def test_review_pages_cost_the_same_queries(
    client, manager, team, django_assert_num_queries, count, path, queries
):
    review_output(team, count)
    client.force_login(manager)
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize(("path", "queries"), ENDPOINTS.items())
def test_review_endpoints_cost_the_same_queries(
    manager, team, django_assert_num_queries, count, path, queries
):
    review_output(team, count)
    client = api_client_for(manager)
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
    assert response.json()["count"] >= count


def test_needs_attention_shows_amounts_and_dates_as_people_read_them(
    client, manager, team
):
    rep = factories.RepFactory(team=team, first_name="Michael", last_name="Davis")
    Flag.objects.create(
        rep=rep,
        kind="activity_dip",
        metric=factories.metric("calls"),
        period="day",
        period_start=dt.date(2026, 11, 26),
        period_end=dt.date(2026, 11, 30),
        target=75,
        actual=51,
        percent=68,
    )
    review_output(team, 1)  # a below-quota flag: €6,400 of €10,000
    client.force_login(manager)

    html = client.get("/targets/attention/").content.decode()

    assert "(51 of 75)" in html and "51.00" not in html
    assert "(6,400 of 10,000)" in html
    assert "Thu 26 Nov 2026 – Mon 30 Nov 2026" in html
