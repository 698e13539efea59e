"""The people API: /api/v1/users/, /teams/, /invitations/."""

import pytest
from django.core import mail

from accounts.models import Invitation, User
from tests import factories
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db


def test_admin_creates_a_user_and_an_invitation_is_sent(
    admin_user, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(admin_user).post(
            "/api/v1/users/",
            {
                "email": "sofia@example.com",
                "first_name": "Sofia",
                "last_name": "D",
                "role": "rep",
                "team": team.pk,
                "timezone": "Europe/Athens",
                "start_date": "2026-12-01",
            },
        )
    assert response.status_code == 201
    assert response.json()["email"] == "sofia@example.com"
    assert Invitation.objects.filter(user__email="sofia@example.com").exists()
    assert mail.outbox[-1].to == ["sofia@example.com"]


def test_bad_input_gets_a_message_per_field(admin_user, team):
    response = api_client_for(admin_user).post(
        "/api/v1/users/",
        {
            "email": "not-an-email",
            "first_name": "",
            "last_name": "X",
            "role": "rep",
            "timezone": "Mars/Olympus",
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"email", "first_name", "timezone"}
    assert "not a known time zone" in body["timezone"][0]


def test_a_manager_lists_only_their_team(manager, team):
    mine = factories.RepFactory(team=team)
    stranger = factories.RepFactory()
    ids = {
        row["id"]
        for row in api_client_for(manager).get("/api/v1/users/").json()["results"]
    }
    assert mine.pk in ids and manager.pk in ids
    assert stranger.pk not in ids
    assert (
        api_client_for(manager).get(f"/api/v1/users/{stranger.pk}/").status_code == 404
    )


def test_users_filter_by_team_and_role(admin_user, team):
    factories.RepFactory.create_batch(2, team=team)
    factories.RepFactory()
    response = api_client_for(admin_user).get(f"/api/v1/users/?team={team.pk}&role=rep")
    assert response.json()["count"] == 2


def test_everyone_patches_their_profile_but_only_admins_change_role(rep, admin_user):
    client = api_client_for(rep)
    assert (
        client.patch(f"/api/v1/users/{rep.pk}/", {"title": "Closer"}).status_code == 200
    )
    denied = client.patch(f"/api/v1/users/{rep.pk}/", {"role": "admin"})
    assert denied.status_code == 400
    assert denied.json() == {"role": ["Only an admin can change this."]}
    promoted = api_client_for(admin_user).patch(
        f"/api/v1/users/{rep.pk}/", {"role": "manager"}
    )
    assert promoted.status_code == 200
    rep.refresh_from_db()
    assert rep.role == "manager" and rep.title == "Closer"


def test_admin_creates_a_team(admin_user, manager):
    response = api_client_for(admin_user).post(
        "/api/v1/teams/", {"name": "Baltic", "manager": manager.pk}
    )
    assert response.status_code == 201
    assert response.json()["name"] == "Baltic"


def test_deactivated_users_token_stops_working_at_once(api_client, admin_user, rep):
    token = api_client.post(
        "/api/v1/auth/token/", {"email": rep.email, "password": factories.PASSWORD}
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").status_code == 200
    api_client_for(admin_user).post(f"/api/v1/users/{rep.pk}/deactivate/")
    assert api_client.get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("people", [5, 50])
def test_users_list_query_count_is_constant(
    admin_user, django_assert_num_queries, people
):
    team = factories.TeamFactory()
    factories.RepFactory.create_batch(people, team=team)
    client = api_client_for(admin_user)
    with django_assert_num_queries(2):  # count + page
        response = client.get("/api/v1/users/")
    assert response.json()["count"] == User.objects.count()
