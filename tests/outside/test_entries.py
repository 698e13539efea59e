"""Entries over HTTP: idempotent writes, closed periods, datetimes and sizes, scope."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.services
ATHENS = ZoneInfo("Europe/Athens")


def a_call(**fields) -> dict:
    return {"metric": "calls", "quantity": 1, **fields}


def test_an_idempotency_key_replays_the_same_body_and_refuses_another(as_role):
    rep = as_role("rep_a")
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = rep.post("/api/v1/activities/", json=a_call(), headers=dict(key))
    again = rep.post("/api/v1/activities/", json=a_call(), headers=dict(key))
    other = rep.post("/api/v1/activities/", json=a_call(quantity=5), headers=dict(key))

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert other.status_code == 422
    assert "Idempotency-Key" in str(other.json())
    assert rep.get("/api/v1/activities/").json()["count"] == 1


def test_a_datetime_without_an_offset_is_refused_not_taken_as_utc(as_role):
    response = as_role("rep_a").post(
        "/api/v1/activities/", json=a_call(occurred_at="2026-11-30T10:00:00")
    )

    assert response.status_code == 400
    assert "offset" in str(response.json()["occurred_at"]).lower()


def test_a_body_over_the_upload_limit_is_a_json_413(as_role):
    body = '{"metric": "calls", "note": "' + "x" * (3 * 1024 * 1024) + '"}'

    response = as_role("rep_a").post(
        "/api/v1/activities/",
        data=body,
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.headers["Content-Type"].startswith("application/json")


def test_a_note_over_its_maximum_length_is_refused(as_role):
    response = as_role("rep_a").post(
        "/api/v1/activities/", json=a_call(note="n" * 5001)
    )

    assert response.status_code == 400
    assert "note" in response.json()


def test_moving_time_zone_does_not_reopen_last_weeks_entries(as_role, org):
    # Given a call on the last evening of the rep's previous week (Athens), now closed
    rep = as_role("rep_a")
    today = dt.datetime.now(ATHENS).date()
    last_sunday = today - dt.timedelta(days=today.isoweekday())
    evening = dt.datetime.combine(last_sunday, dt.time(23, 30), ATHENS)
    logged = as_role("manager_a").post(
        "/api/v1/activities/",
        json=a_call(user=org["rep_a"].pk, occurred_at=evening.isoformat()),
    )
    assert logged.status_code == 201, logged.text
    path = f"/api/v1/activities/{logged.json()['id']}/"
    assert rep.patch(path, json={"quantity": 2}).status_code == 400

    # When the rep moves twelve hours west (on a Monday morning in Athens it is still
    # Sunday there: the week that closed would open again if the zone decided)
    moved = rep.patch(
        f"/api/v1/users/{org['rep_a'].pk}/", json={"timezone": "Pacific/Honolulu"}
    )
    assert moved.status_code == 200, moved.text

    # Then last week is still closed
    assert rep.patch(path, json={"quantity": 2}).status_code == 400


def test_a_manager_above_gets_a_404_for_a_peers_reps_entries(as_role, org):
    logged = as_role("rep_b").post("/api/v1/activities/", json=a_call())
    assert logged.status_code == 201

    path = f"/api/v1/activities/{logged.json()['id']}/"
    assert as_role("manager_b").get(path).status_code == 200
    assert as_role("manager_a").get(path).status_code == 404
