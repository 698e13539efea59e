"""coaching/attention_api.py: `GET /api/v1/attention/`."""

import pytest

from tests import factories
from tests.coaching.test_attention import ATHENS, one_on_one
from tests.helpers import api_client_for
from tests.scenarios import at, rep_with_quota, sell

pytestmark = pytest.mark.django_db

URL = "/api/v1/attention/"


def test_the_manager_reads_each_reps_month_and_the_upside_down_warning(manager, team):
    sofia = rep_with_quota(team, ATHENS, first_name="Sofia", last_name="Lazarou")
    sell(sofia, 12000, at(ATHENS, 2026, 10, 9, 12))
    one_on_one(sofia, at(ATHENS, 2026, 10, 20, 10), 60)
    eleni = rep_with_quota(team, ATHENS, first_name="Eleni", last_name="Pappa")
    sell(eleni, 3000, at(ATHENS, 2026, 10, 9, 12))

    response = api_client_for(manager).get(URL, {"team": team.pk, "month": "2026-10"})

    assert response.status_code == 200
    body = response.json()
    assert (body["team"], body["month"], body["total_minutes"]) == (
        team.pk,
        "2026-10-01",
        60,
    )
    assert body["upside_down"]["neglected"] == [eleni.pk]
    assert body["upside_down"]["on_quota_percent"] == 100
    assert "Eleni Pappa" in body["upside_down"]["message"]
    first, second = body["results"]
    assert first == {
        "user": eleni.pk,
        "name": "Eleni Pappa",
        "minutes": 0,
        "check_ins": 0,
        "comments": 0,
        "quota_metric": "revenue",
        "quota_percent": 30,
        "quota_status": "behind",
        "below_quota": True,
        "at_risk": False,
        "on_quota": False,
        "last_one_on_one": None,
    }
    assert (second["user"], second["minutes"], second["check_ins"]) == (sofia.pk, 60, 1)
    assert second["last_one_on_one"] == "2026-10-20"


def test_attention_the_right_way_up_has_no_warning(manager, team):
    rep = rep_with_quota(team, ATHENS)
    one_on_one(rep, at(ATHENS, 2026, 10, 20, 10), 30)

    body = (
        api_client_for(manager).get(URL, {"team": team.pk, "month": "2026-10"}).json()
    )

    assert body["upside_down"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "team"),
        ({"team": "x"}, "team"),
        ({"team": "0"}, "team"),
        ({"team": "1", "month": "2026-13"}, "month"),
        ({"team": "1", "month": "26-10"}, "month"),
        ({"team": "1", "month": "2999-01"}, "month"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field(manager, team, query, field):
    response = api_client_for(manager).get(URL, query)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_another_managers_team_and_a_reps_own_team_are_not_found(manager, team, rep):
    other = factories.TeamFactory()

    assert api_client_for(manager).get(URL, {"team": other.pk}).status_code == 404
    assert api_client_for(rep).get(URL, {"team": team.pk}).status_code == 404
    admin = factories.AdminFactory()
    assert api_client_for(admin).get(URL, {"team": other.pk}).status_code == 200


@pytest.mark.parametrize("team_size", [5, 50])
def test_the_endpoint_reads_a_constant_number_of_queries(
    manager, team, django_assert_num_queries, team_size
):
    for index in range(team_size):
        rep = rep_with_quota(team, ATHENS)
        one_on_one(rep, at(ATHENS, 2026, 10, 1 + index % 28, 10), 30)
    client = api_client_for(manager)

    # the team in the viewer's scope; the ledger's nine
    with django_assert_num_queries(10):
        response = client.get(URL, {"team": team.pk, "month": "2026-10"})

    assert len(response.json()["results"]) == team_size
