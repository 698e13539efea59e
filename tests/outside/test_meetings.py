"""Meetings over HTTP: no names leak through errors, and peers' reps stay out of reach."""

import datetime as dt

import pytest

pytestmark = pytest.mark.services


def a_one_on_one(participant_id: int) -> dict:
    starts = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=3)
    return {
        "kind": "one_on_one",
        "title": "Pipeline",
        "starts_at": starts.isoformat(),
        "duration_minutes": 30,
        "participants": [participant_id],
    }


def test_another_teams_rep_is_the_same_invalid_id_as_nobody(as_role, org):
    manager = as_role("manager_a")

    foreign = manager.post("/api/v1/meetings/", json=a_one_on_one(org["rep_b"].pk))
    missing = manager.post("/api/v1/meetings/", json=a_one_on_one(2**40))

    assert foreign.status_code == missing.status_code == 400
    said_of_foreign = foreign.json()["participants"][0].replace(
        str(org["rep_b"].pk), "N"
    )
    said_of_missing = missing.json()["participants"][0].replace(str(2**40), "N")
    assert said_of_foreign == said_of_missing
    assert org["rep_b"].last_name not in foreign.text


def test_a_peers_one_on_one_with_their_rep_is_a_404_to_the_manager_above(as_role, org):
    booked = as_role("manager_b").post(
        "/api/v1/meetings/", json=a_one_on_one(org["rep_b"].pk)
    )
    assert booked.status_code == 201, booked.text
    path = f"/api/v1/meetings/{booked.json()['id']}/"

    assert as_role("rep_b").get(path).status_code == 200
    assert as_role("manager_a").get(path).status_code == 404
    listed = as_role("manager_a").get("/api/v1/meetings/").json()["results"]
    assert booked.json()["id"] not in {meeting["id"] for meeting in listed}
