"""targets/api.py: targets with history, acknowledging, and the attainment endpoint."""

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import Activity, DayTally
from activities.services import activity_log
from targets.models import Target
from targets.services import target_set
from tests import factories
from tests.helpers import api_client_for


@pytest.fixture
def utc_rep(team):
    return factories.RepFactory(team=team, timezone="UTC")


def test_a_manager_sets_a_target_and_the_rep_sees_its_history(manager, utc_rep):
    # Given 25 calls a day that began last year
    old = target_set(
        rep=utc_rep,
        metric=factories.metric("calls"),
        period="day",
        amount=25,
        effective_from=dt.date(2025, 1, 1),
        by=None,
    )
    today = utc_rep.local_date()
    # When the manager posts a new one from today
    response = api_client_for(manager).post(
        "/api/v1/targets/",
        {
            "user": utc_rep.pk,
            "metric": "calls",
            "period": "day",
            "amount": 30,
            "effective_from": today.isoformat(),
        },
    )
    assert response.status_code == 201, response.json()
    # Then ?user= lists both rows: the closed one and the new one
    rows = api_client_for(utc_rep).get(f"/api/v1/targets/?user={utc_rep.pk}").json()
    assert [
        (r["amount"], r["effective_from"], r["effective_until"])
        for r in rows["results"]
    ] == [
        ("30.00", today.isoformat(), None),
        ("25.00", "2025-01-01", (today - dt.timedelta(days=1)).isoformat()),
    ]
    assert rows["results"][1]["id"] == old.pk


def test_a_rep_cannot_set_targets(utc_rep):
    response = api_client_for(utc_rep).post(
        "/api/v1/targets/",
        {
            "user": utc_rep.pk,
            "metric": "calls",
            "period": "day",
            "amount": 5,
            "effective_from": utc_rep.local_date().isoformat(),
        },
    )
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_a_target_in_the_past_is_refused_with_a_message(manager, utc_rep):
    response = api_client_for(manager).post(
        "/api/v1/targets/",
        {
            "user": utc_rep.pk,
            "metric": "calls",
            "period": "day",
            "amount": 5,
            "effective_from": "2020-01-01",
        },
    )
    assert response.status_code == 400
    assert "at the earliest" in response.json()["effective_from"][0]


def test_the_rep_acknowledges_and_managers_filter_who_has_not(manager, utc_rep):
    target = factories.TargetFactory(rep=utc_rep)
    client = api_client_for(manager)
    assert client.get("/api/v1/targets/?agreed=false").json()["count"] == 1
    assert client.post(f"/api/v1/targets/{target.pk}/acknowledge/").status_code == 403
    response = api_client_for(utc_rep).post(f"/api/v1/targets/{target.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["agreed_at"]
    assert client.get("/api/v1/targets/?agreed=false").json()["count"] == 0
    stranger = api_client_for(factories.RepFactory())
    assert stranger.post(f"/api/v1/targets/{target.pk}/acknowledge/").status_code == 404


def test_attainment_has_the_documented_shape(manager, utc_rep):
    factories.TargetFactory(rep=utc_rep, metric=factories.metric("calls"), amount=25)
    now = timezone.now()
    activity_log(rep=utc_rep, metric="calls", quantity=18, occurred_at=now, now=now)
    today = utc_rep.local_date(now)
    response = api_client_for(manager).get(
        f"/api/v1/attainment/?user={utc_rep.pk}&period=day&date={today.isoformat()}"
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"user", "period", "start", "end", "metrics", "ramp"}
    assert body["ramp"] is None
    assert (body["user"], body["period"], body["start"], body["end"]) == (
        utc_rep.pk,
        "day",
        today.isoformat(),
        today.isoformat(),
    )
    calls = next(m for m in body["metrics"] if m["metric"] == "calls")
    assert set(calls) == {"metric", "target", "actual", "percent", "status"}
    expected_target = 25 if today.isoweekday() <= 5 else None
    assert calls["target"] == expected_target
    assert calls["actual"] == 18
    emails = next(m for m in body["metrics"] if m["metric"] == "emails")
    assert emails == {
        "metric": "emails",
        "target": None,
        "actual": 0,
        "percent": None,
        "status": "no_target",
    }


def test_attainment_of_someone_outside_the_team_is_404(utc_rep):
    stranger = factories.RepFactory()
    client = api_client_for(utc_rep)
    assert client.get(f"/api/v1/attainment/?user={stranger.pk}").status_code == 404
    assert client.get("/api/v1/attainment/?period=year").status_code == 400


def test_team_attainment_for_the_manager(manager, team, utc_rep):
    factories.RepFactory(team=team)
    body = (
        api_client_for(manager)
        .get(f"/api/v1/attainment/?team={team.pk}&period=week")
        .json()
    )
    assert body["team"] == team.pk and len(body["results"]) == 2
    assert (
        api_client_for(utc_rep).get(f"/api/v1/attainment/?team={team.pk}").status_code
        == 404
    )


def add_history(rep, days):
    calls = factories.metric("calls")
    today = rep.local_date()
    Activity.objects.bulk_create(
        Activity(
            rep=rep,
            metric=calls,
            occurred_at=timezone.now() - dt.timedelta(days=offset),
            local_date=today - dt.timedelta(days=offset),
        )
        for offset in range(days)
    )
    DayTally.objects.bulk_create(
        DayTally(
            rep=rep,
            metric=calls,
            local_date=today - dt.timedelta(days=offset),
            quantity=1,
        )
        for offset in range(days)
    )


@pytest.mark.parametrize("days", [0, 400])
def test_attainment_query_count_does_not_grow_with_history(
    client, manager, utc_rep, django_assert_num_queries, days
):
    add_history(utc_rep, days)
    factories.TargetFactory(rep=utc_rep)
    client.force_login(manager)
    # session, user, the rep, metrics, targets, tallies
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/attainment/?user={utc_rep.pk}&period=month")
    assert response.status_code == 200


def test_attainment_refuses_dates_outside_any_sensible_calendar(utc_rep):
    response = api_client_for(utc_rep).get(
        "/api/v1/attainment/?period=week&date=9999-12-31"
    )
    assert response.status_code == 400
    assert response.json() == {"date": ["Give a date between 1970 and 2999."]}


def test_on_day_one_the_agreed_target_replaces_the_templates_from_today(
    manager, utc_rep
):
    # Given the template's 25 calls a day, applied at onboarding this morning
    today = utc_rep.local_date()
    template_target = target_set(
        rep=utc_rep,
        metric=factories.metric("calls"),
        period="day",
        amount=25,
        effective_from=today,
        by=None,
    )
    # When the manager posts the 30 they just agreed, effective today
    response = api_client_for(manager).post(
        "/api/v1/targets/",
        {
            "user": utc_rep.pk,
            "metric": "calls",
            "period": "day",
            "amount": 30,
            "effective_from": today.isoformat(),
        },
    )
    # Then it is created, and history keeps the template's row, superseded by whom
    assert response.status_code == 201, response.json()
    assert (response.json()["amount"], response.json()["superseded_at"]) == (
        "30.00",
        None,
    )
    rows = api_client_for(utc_rep).get(f"/api/v1/targets/?user={utc_rep.pk}").json()
    replaced = next(r for r in rows["results"] if r["id"] == template_target.pk)
    assert replaced["superseded_by"] == manager.pk and replaced["superseded_at"]
    current = api_client_for(utc_rep).get("/api/v1/targets/?current=true").json()
    assert [r["amount"] for r in current["results"]] == ["30.00"]
    # And today's attainment uses the agreed 30
    attainment = api_client_for(utc_rep).get("/api/v1/attainment/?period=day").json()
    calls = next(m for m in attainment["metrics"] if m["metric"] == "calls")
    expected = 30 if today.isoweekday() in utc_rep.work_days else None
    assert calls["target"] == expected
