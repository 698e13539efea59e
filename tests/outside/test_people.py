"""People over HTTP: onboarding managers, superusers out of reach, dates with bounds."""

import pytest

pytestmark = pytest.mark.services


def new_person(**fields) -> dict:
    return {
        "email": "new.person@example.com",
        "first_name": "New",
        "last_name": "Person",
        "timezone": "Europe/Athens",
        **fields,
    }


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_an_admin_adds_a_manager_or_an_admin_without_a_team(as_role, role):
    response = as_role("admin").post("/api/v1/users/", json=new_person(role=role))

    assert response.status_code == 201, response.text
    assert (response.json()["role"], response.json()["team"]) == (role, None)


def test_an_in_app_admin_cannot_reach_a_superuser(org, as_role):
    admin = as_role("admin")
    path = f"/api/v1/users/{org['superuser'].pk}/"

    # Neither changing the email (the road to a password reset) nor offboarding
    assert admin.patch(path, json={"email": "mine@example.com"}).status_code == 404
    assert admin.post(path + "deactivate/").status_code == 404

    org["superuser"].refresh_from_db()
    assert org["superuser"].email != "mine@example.com"
    assert org["superuser"].is_active


@pytest.mark.parametrize("start_date", ["9999-12-31", "1969-12-31", "3000-01-01"])
def test_a_start_date_outside_1970_to_2999_is_refused(as_role, org, start_date):
    response = as_role("admin").post(
        "/api/v1/users/",
        json=new_person(role="rep", team=org["team_a"].pk, start_date=start_date),
    )

    assert response.status_code == 400
    assert "start_date" in response.json()


def test_a_managers_role_stays_while_they_lead_a_team(as_role, org):
    response = as_role("admin").patch(
        f"/api/v1/users/{org['manager_a'].pk}/", json={"role": "rep"}
    )

    assert response.status_code == 400
    assert "Alpha" in str(response.json())
    org["manager_a"].refresh_from_db()
    assert org["manager_a"].role == "manager"


def test_a_manager_sees_the_peer_in_their_team_but_not_the_peers_reps(as_role, org):
    manager = as_role("manager_a")

    assert manager.get(f"/api/v1/users/{org['manager_b'].pk}/").status_code == 200
    assert manager.get(f"/api/v1/users/{org['rep_b'].pk}/").status_code == 404
