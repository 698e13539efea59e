"""targets/ramp_api.py: a ramp's history, and changing or ending it, through the API."""

import datetime as dt

import pytest
from django.utils import timezone

from targets.models import RampChange, RepRamp
from tests import factories
from tests.helpers import api_client_for
from tests.scenarios import rep_on_ramp

pytestmark = pytest.mark.django_db

URL = "/api/v1/ramp-changes/"


@pytest.fixture
def ramped(team):
    factories.standard_template()
    starts = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=8)
    return rep_on_ramp(team, "UTC", starts_on=starts, calls=("day", 25))


def test_a_manager_ends_a_ramp_with_a_reason_and_it_is_in_the_history(manager, ramped):
    api = api_client_for(manager)
    answer = api.post(
        URL, {"user": ramped.pk, "kind": "ended", "reason": "Ready"}, format="json"
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["user"], body["kind"], body["reason"], body["by"]) == (
        ramped.pk,
        "ended",
        "Ready",
        manager.pk,
    )
    assert body["ended_on"] == ramped.local_date().isoformat()
    listed = api.get(f"{URL}?user={ramped.pk}").json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]


def test_a_change_without_a_reason_is_a_400_naming_the_field(manager, ramped):
    answer = api_client_for(manager).post(
        URL,
        {"user": ramped.pk, "kind": "changed", "steps": [{"weeks": 6, "percent": 50}]},
        format="json",
    )
    assert answer.status_code == 400
    assert "reason" in answer.json()
    assert not RampChange.objects.exists()


def test_a_change_of_steps_through_the_api(manager, ramped):
    answer = api_client_for(manager).post(
        URL,
        {
            "user": ramped.pk,
            "kind": "changed",
            "steps": [{"weeks": 4, "percent": 50}, {"weeks": 6, "percent": 75}],
            "reason": "Longer run-in",
        },
        format="json",
    )
    assert answer.status_code == 201
    assert RepRamp.objects.get(rep=ramped).curve.weeks == 10
    bad = api_client_for(manager).post(
        URL,
        {
            "user": ramped.pk,
            "kind": "changed",
            "steps": [{"weeks": 4, "percent": 150}],
            "reason": "Too much",
        },
        format="json",
    )
    assert bad.status_code == 400


def test_the_rep_reads_their_history_but_cannot_end_their_ramp(ramped):
    api = api_client_for(ramped)
    answer = api.post(
        URL, {"user": ramped.pk, "kind": "ended", "reason": "Me"}, format="json"
    )
    assert answer.status_code == 403
    assert api.get(URL).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_the_history_list_costs_the_same_whatever_its_length(
    manager, ramped, django_assert_num_queries, count
):
    RampChange.objects.bulk_create(
        RampChange(rep=ramped, kind="changed", reason=f"{n}", changed_at=timezone.now())
        for n in range(count)
    )
    api = api_client_for(manager)
    # the count and the page (the test client is signed in without a query)
    with django_assert_num_queries(2):
        assert api.get(URL).status_code == 200
