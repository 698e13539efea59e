"""GET /api/v1/diagnosis/: the contract, the scope, bad input and query counts."""

import datetime as dt

import pytest

from targets.forecast import month_forecasts
from tests import factories
from tests.coaching.diagnosis_data import log_funnel, monthly_quota, team_of
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/diagnosis/"
IN_WINDOW = dt.date(2026, 10, 15)
DATE = "2026-11-01"


@pytest.fixture
def eleni():
    """Connect-weak Eleni in a team of four good reps, with a €20,000 quota."""
    team = team_of(4, IN_WINDOW)
    rep = factories.RepFactory(team=team, first_name="Eleni")
    log_funnel(
        rep,
        IN_WINDOW,
        calls=1600,
        connected=160,
        appointments=40,
        deals=20,
        deal_amount=1000,
    )
    monthly_quota(rep, 20000)
    return rep


def test_a_manager_reads_a_reps_diagnosis(eleni):
    response = api_client_for(eleni.team.manager).get(
        URL, {"user": eleni.pk, "date": DATE}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["user"] == eleni.pk
    assert (body["first"], body["last"]) == ("2026-08-03", "2026-10-31")
    connect = next(stage for stage in body["stages"] if stage["stage"] == "connect")
    assert connect == {
        "stage": "connect",
        "rep_rate": 0.1,
        "team_median": 0.25,
        "team_top_quartile": 0.25,
        "previous_rate": None,
        "events": 1600,
        "judged": True,
        "rate": 0.1,
        "gain": 30000.0,
    }
    assert [stage["stage"] for stage in body["stages"]] == [
        "volume",
        "connect",
        "appointment",
        "close",
        "deal_size",
    ]
    assert body["constraint"] == {
        "stage": "connect",
        "kind": "connecting",
        "lost_revenue": 30000.0,
        "rep_rate": 0.1,
        "team_rate": 0.25,
    }
    required = body["required"]
    assert (required["calls"], required["calls_per_work_day"]) == (1600, 77)
    assert (required["appointments"], required["deals"]) == (40, 20)
    assert required["quota"] == 20000.0 and required["work_days"] == 21
    assert (required["period_start"], required["period_end"]) == (
        "2026-11-01",
        "2026-11-30",
    )
    assert required["assumptions"]["connect"] == 0.1
    assert required["exceeds_ceiling"] is True
    assert (
        required["at_team_rate"]["calls"],
        required["at_team_rate"]["calls_per_work_day"],
    ) == (640, 31)
    assert required["at_team_rate"]["assumptions"]["connect"] == 0.25
    assert body["mix"] == {
        "calls": 1600,
        "emails": 0,
        "thank_you_notes": 0,
        "appointments": 40,
        "work_days": 65,
    }
    assert body["sentence"].startswith(
        "Eleni makes as many calls as the team, but connects on 10 % against the "
        "team's 25 %. Connecting is where the last 90 days were lost (about €30,000)."
    )


def test_the_rep_reads_their_own_in_the_second_person(eleni):
    response = api_client_for(eleni).get(URL, {"date": DATE})
    assert response.status_code == 200
    assert response.json()["user"] == eleni.pk
    assert response.json()["sentence"].startswith("You make as many calls")


def test_the_sentence_is_rendered_in_the_viewers_language(eleni, monkeypatch):
    # Given a catalogue that marks what it translates into Greek
    from django.utils import translation

    from coaching.diagnosis import sentences

    def marked(message):
        return f"[el] {message}" if translation.get_language() == "el" else message

    monkeypatch.setattr(sentences, "_", marked)
    manager = eleni.team.manager
    manager.language = "el"
    manager.save(update_fields=["language"])
    # When the Greek-speaking manager asks
    response = api_client_for(manager).get(
        URL, {"user": eleni.pk, "date": DATE}, HTTP_ACCEPT_LANGUAGE="el"
    )
    # Then the sentence was rendered in Greek, at the time of the request
    assert response.status_code == 200
    assert response.json()["sentence"].startswith("[el] Eleni makes")


def test_the_forecast_is_the_running_months(eleni):
    response = api_client_for(eleni).get(URL, {"date": DATE})
    forecast = month_forecasts([eleni], today=dt.date(2026, 11, 1))[eleni.pk]
    assert response.json()["forecast"] == {
        "low": float(forecast.low),
        "expected": float(forecast.expected),
        "high": float(forecast.high),
        "quota": float(forecast.quota),
    }
    assert forecast.quota == 20000


def test_days_sets_the_window(eleni):
    body = api_client_for(eleni).get(URL, {"date": DATE, "days": 30}).json()
    assert (body["first"], body["last"]) == ("2026-10-02", "2026-10-31")
    assert (body["previous_first"], body["previous_last"]) == (
        "2026-09-02",
        "2026-10-01",
    )


def test_a_team_lists_every_rep(eleni):
    response = api_client_for(eleni.team.manager).get(
        URL, {"team": eleni.team_id, "date": DATE}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["team"] == eleni.team_id
    assert len(body["results"]) == 5
    constraints = {row["user"]: row["constraint"] for row in body["results"]}
    assert constraints[eleni.pk]["stage"] == "connect"
    assert sum(value is None for value in constraints.values()) == 4


def test_out_of_scope_is_a_404(eleni):
    other_rep = factories.RepFactory()
    # A teammate, another team's manager, and a rep asking for their team
    teammate = factories.RepFactory(team=eleni.team)
    assert api_client_for(teammate).get(URL, {"user": eleni.pk}).status_code == 404
    outsider = other_rep.team.manager
    assert api_client_for(outsider).get(URL, {"user": eleni.pk}).status_code == 404
    assert api_client_for(outsider).get(URL, {"team": eleni.team_id}).status_code == 404
    assert api_client_for(eleni).get(URL, {"team": eleni.team_id}).status_code == 404
    assert api_client_for(eleni).get(URL, {"user": 2**63 - 1}).status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"user": "abc"}, "user"),
        ({"user": "0"}, "user"),
        ({"user": str(2**63)}, "user"),
        ({"team": "-1"}, "team"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": "0001-01-01"}, "date"),
        ({"days": "3"}, "days"),
        ({"days": "9999"}, "days"),
        ({"days": "ten"}, "days"),
        ({"user": "1", "team": "1"}, "team"),
    ],
)
def test_bad_parameters_are_a_400_per_field(query, field):
    rep = factories.RepFactory()
    response = api_client_for(rep).get(URL, query)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_anonymous_is_refused():
    from rest_framework.test import APIClient

    assert APIClient().get(URL).status_code in (401, 403)


@pytest.mark.parametrize("size", [5, 50])
def test_the_endpoint_costs_the_same_queries_at_5_and_50_reps(
    size, django_assert_num_queries
):
    team = team_of(size, IN_WINDOW)
    for rep in team.members.all():
        monthly_quota(rep, 20000)
    client = api_client_for(team.manager)
    # The team; its reps; the diagnosis (teammates, metrics, tallies, connected calls,
    # next quotas' targets); the forecast (metrics, targets, tallies)
    with django_assert_num_queries(10):
        response = client.get(URL, {"team": team.pk, "date": DATE})
    assert len(response.json()["results"]) == size
    rep = team.members.first()
    # One rep: the user, then the diagnosis and the forecast (the diagnosis' metrics
    # now from the process's copy, loaded by the first request)
    with django_assert_num_queries(8):
        assert client.get(URL, {"user": rep.pk, "date": DATE}).status_code == 200
