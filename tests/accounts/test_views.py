"""People pages: directory, onboarding, invitation links, offboarding, lock-out, audit."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import invitation_token
from accounts.models import Invitation, User
from accounts.selectors import directory_entry
from tests import factories

pytestmark = pytest.mark.django_db


def test_directory_shows_local_time_and_work_hours(client, rep, manager):
    rep.timezone = "Europe/Athens"
    rep.save()
    client.force_login(manager)
    response = client.get(reverse("directory"))
    entry = next(
        member
        for team in response.context["teams"]
        for member in team.members
        if member.person == rep
    )
    assert entry.local_now.tzinfo.key == "Europe/Athens"
    assert "Athens" in entry.local_time_label
    assert entry.work_hours_label == "09:00–17:00"
    assert rep.get_full_name().encode() in response.content


def test_local_time_label_reads_like_a_wall_clock():
    person = User(timezone="Europe/Athens", first_name="Eleni")
    at = dt.datetime(2026, 11, 24, 12, 5, tzinfo=dt.UTC)  # a Tuesday
    entry = directory_entry(person, at)
    assert entry.local_time_label == "14:05 · Athens, Tue"
    assert entry.working_now


@pytest.mark.parametrize("members", [5, 50])
def test_directory_query_count_does_not_grow_with_people(
    client, manager, django_assert_num_queries, members
):
    team = factories.TeamFactory(manager=manager)
    factories.RepFactory.create_batch(members, team=team)
    client.force_login(manager)
    # session, user, unread notifications (navbar), teams counted, a page, members
    with django_assert_num_queries(6):
        response = client.get(reverse("directory"))
    assert len(response.context["teams"][0].members) == members


def test_the_directory_comes_a_page_of_teams_at_a_time_and_searches_people(
    client, admin_user, django_assert_num_queries
):
    from accounts.selectors import DIRECTORY_PAGE_SIZE

    teams = [
        factories.TeamFactory(name=f"Crew {index:02d}")
        for index in range(DIRECTORY_PAGE_SIZE + 3)
    ]
    for team in teams:
        factories.RepFactory.create_batch(2, team=team)
    wanted = factories.RepFactory(
        team=teams[-1], first_name="Ariadne", last_name="Labyrinth"
    )
    client.force_login(admin_user)
    with django_assert_num_queries(6):
        first = client.get(reverse("directory"))
    assert len(first.context["teams"]) == DIRECTORY_PAGE_SIZE
    assert "?page=2" in first.content.decode()
    second = client.get(reverse("directory"), {"page": 2})
    assert [entry.team.name for entry in second.context["teams"]] == [
        f"Crew {index:02d}"
        for index in range(DIRECTORY_PAGE_SIZE, DIRECTORY_PAGE_SIZE + 3)
    ]
    # A person's name finds their team, with only them; a team's name, everyone
    with django_assert_num_queries(6):
        found = client.get(reverse("directory"), {"q": "ariadne labyr"})
    [entry] = found.context["teams"]
    assert entry.team == teams[-1]
    assert [member.person for member in entry.members] == [wanted]
    [entry] = client.get(reverse("directory"), {"q": "crew 00"}).context["teams"]
    assert len(entry.members) == 2
    page = client.get(reverse("directory"), {"q": "<nobody>"}).content.decode()
    assert 'data-testid="directory-no-match"' in page and "&lt;nobody&gt;" in page


def test_a_rep_sees_their_team_but_not_another(client, rep):
    stranger = factories.RepFactory()
    client.force_login(rep)
    content = client.get(reverse("directory")).content.decode()
    assert rep.team.manager.get_full_name() in content
    assert stranger.get_full_name() not in content


def test_admin_adds_a_rep_with_inline_errors_then_success(client, admin_user, team):
    client.force_login(admin_user)
    bad = client.post(reverse("rep-add"), {"email": "nope", "timezone": "Mars/Base"})
    assert bad.status_code == 200
    form = bad.context["form"]
    assert (
        "email" in form.errors and "timezone" in form.errors and "team" in form.errors
    )
    assert not User.objects.filter(email="nope").exists()

    good = client.post(
        reverse("rep-add"),
        {
            "first_name": "Nikos",
            "last_name": "G",
            "email": "nikos@example.com",
            "team": team.pk,
            "timezone": "Europe/Athens",
            "start_date": "2026-12-01",
        },
    )
    nikos = User.objects.get(email="nikos@example.com")
    assert good.url == reverse("person-detail", args=[nikos.pk])
    assert Invitation.objects.filter(user=nikos).exists()


def test_invitation_page_sets_password_and_lands_on_welcome(client, rep):
    rep.set_unusable_password()
    rep.save()
    invitation = factories.InvitationFactory(user=rep)
    url = reverse("invitation-accept", args=[invitation_token(invitation)])

    response = client.post(
        url, {"new_password1": "sunny-Athens-42", "new_password2": "sunny-Athens-42"}
    )

    assert response.url == reverse("welcome")
    assert client.get(reverse("welcome")).status_code == 200
    reused = Client().get(url)
    assert reused.status_code == 410
    assert b"already used" in reused.content


def test_an_expired_invitation_link_gets_a_clear_page(client, rep):
    invitation = factories.InvitationFactory(
        user=rep, expires_at=timezone.now() - dt.timedelta(days=1)
    )
    response = client.get(
        reverse("invitation-accept", args=[invitation_token(invitation)])
    )
    assert response.status_code == 410
    assert b"expired" in response.content


def test_a_garbled_invitation_link_gets_a_clear_page(client):
    response = client.get(reverse("invitation-accept", args=["garbage"]))
    assert response.status_code == 410
    assert b"not valid" in response.content


def test_a_deactivated_user_is_logged_out_at_once(client, admin_user, rep):
    rep_client = Client()
    rep_client.force_login(rep)
    assert rep_client.get(reverse("home")).status_code == 200

    client.force_login(admin_user)
    client.post(reverse("person-deactivate", args=[rep.pk]))

    assert rep_client.get(reverse("home")).status_code == 302
    # Their record stays visible to their manager.
    manager_client = Client()
    manager_client.force_login(rep.team.manager)
    page = manager_client.get(reverse("person-detail", args=[rep.pk]))
    assert page.status_code == 200 and b"Deactivated" in page.content


def test_repeated_failed_logins_lock_the_account_with_a_message(client, rep, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _attempt in range(3):
        response = client.post(
            reverse("login"),
            {"username": rep.email, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
        )
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
    locked = client.post(
        reverse("login"),
        {"username": rep.email, "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert locked.status_code == 429


def test_audit_log_shows_who_changed_what(client, admin_user, rep):
    client.force_login(admin_user)
    client.post(
        reverse("person-edit", args=[rep.pk]),
        {
            "first_name": rep.first_name,
            "last_name": rep.last_name,
            "title": "Closer",
            "phone": "",
            "language": "en",
            "timezone": "Europe/London",
            "work_days": [1, 2, 3, 4, 5],
            "work_start": "09:00",
            "work_end": "17:00",
            "email": rep.email,
            "role": "rep",
            "team": rep.team_id,
            "start_date": "",
        },
    )
    response = client.get(reverse("audit-log"))
    changed = [
        entry for entry in response.context["entries"] if entry.action == "changed"
    ]
    assert changed[0].who == admin_user
    assert ("timezone", "Europe/Athens", "Europe/London") in changed[0].changes


def test_audit_log_shows_dates_and_times_as_people_read_them(client, admin_user, rep):
    from accounts.services import user_update

    rep.start_date = None
    rep.save()
    user_update(user=rep, by=admin_user, start_date=dt.date(2026, 11, 2))
    rep.email_notifications = False
    rep.save()
    client.force_login(admin_user)

    response = client.get(reverse("audit-log"))

    changes = [
        change for entry in response.context["entries"] for change in entry.changes
    ]
    assert ("start_date", "", "11/02/2026") in changes
    assert ("email_notifications", "yes", "no") in changes
    page = response.content.decode()
    assert "2026-11-02" not in page and "+00:00" not in page and "None" not in page


def test_signing_in_adds_nothing_to_the_audit_log(client, rep):
    history = type(rep).history
    before = history.filter(id=rep.pk).count()
    rep.set_password("a long enough pass phrase")
    rep.save()
    assert history.filter(id=rep.pk).count() == before + 1  # a change is recorded

    answer = client.post(
        reverse("login"),
        {"username": rep.email, "password": "a long enough pass phrase"},
    )
    assert answer.status_code == 302

    rep.refresh_from_db()
    assert rep.last_login is not None
    assert history.filter(id=rep.pk).count() == before + 1  # the sign-in is not


def test_a_far_future_start_date_is_an_error_beside_the_field(client, admin_user, team):
    client.force_login(admin_user)
    response = client.post(
        reverse("rep-add"),
        {
            "first_name": "Far",
            "last_name": "Future",
            "email": "far@example.com",
            "team": team.pk,
            "timezone": "Europe/Athens",
            "start_date": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [
        "A start date lies between 1970-01-01 and 2999-12-31."
    ]
    assert not User.objects.filter(email="far@example.com").exists()


def test_an_in_app_admins_pages_do_not_find_a_superuser(client, admin_user):
    # Given an in-app admin who is not a superuser
    client.force_login(factories.UserFactory(role="admin"))

    # When they open the superuser's edit page, or post its email or deactivation
    edit_url = reverse("person-edit", args=[admin_user.pk])
    pages = [
        client.get(edit_url),
        client.post(edit_url, {"email": "mine@example.com"}),
        client.post(reverse("person-deactivate", args=[admin_user.pk])),
    ]

    # Then each is a 404 and the superuser is untouched
    assert [page.status_code for page in pages] == [404, 404, 404]
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.email != "mine@example.com"


def test_a_superusers_page_offers_an_in_app_admin_no_edit_or_deactivate(
    client, admin_user
):
    # Given an in-app admin on a superuser's page, and a superuser on the same page
    client.force_login(factories.UserFactory(role="admin"))
    as_admin = client.get(reverse("person-detail", args=[admin_user.pk]))
    client.force_login(factories.AdminFactory())
    as_superuser = client.get(reverse("person-detail", args=[admin_user.pk]))

    # Then only the superuser is offered the buttons that would work
    edit_url = reverse("person-edit", args=[admin_user.pk])
    assert as_admin.status_code == as_superuser.status_code == 200
    assert edit_url not in as_admin.content.decode()
    assert edit_url in as_superuser.content.decode()
    assert reverse("person-deactivate", args=[admin_user.pk]) in (
        as_superuser.content.decode()
    )


def test_the_teams_page_comes_25_at_a_time_and_searches_names(
    client, admin_user, django_assert_num_queries
):
    for index in range(27):
        factories.TeamFactory(name=f"Unit {index:02d}")
    client.force_login(admin_user)
    # session, user, unread notifications (navbar), teams counted, a page of them
    with django_assert_num_queries(5):
        first = client.get(reverse("teams"))
    assert len(first.context["teams"]) == 25 and "?page=2" in first.content.decode()
    second = client.get(reverse("teams"), {"page": 2})
    assert [team.name for team in second.context["teams"]] == ["Unit 25", "Unit 26"]
    found = client.get(reverse("teams"), {"q": "unit 1"})
    assert found.context["page"].paginator.count == 10
    page = client.get(reverse("teams"), {"q": "<none>"}).content.decode()
    assert 'data-testid="teams-empty"' in page and "&lt;none&gt;" in page
