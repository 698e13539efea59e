"""accounts/services.py: onboarding, invitations, profiles, offboarding."""

import datetime as dt
import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone
from knox.models import AuthToken

from accounts import services, signals
from accounts.invitations import (
    InvitationUnusable,
    invitation_from_token,
    invitation_token,
)
from accounts.models import Invitation, Role, User
from accounts.tokens import token_issue
from tests import factories

pytestmark = pytest.mark.django_db


def onboard(admin, team, **overrides):
    fields = {
        "email": "New.Rep@Example.com",
        "first_name": "Eleni",
        "last_name": "P",
        "team": team,
        "timezone": "Europe/Athens",
        "start_date": dt.date(2026, 12, 1),
    } | overrides
    return services.rep_onboard(by=admin, **fields)


def test_onboarding_creates_a_rep_without_a_password_and_emails_a_link(
    admin_user, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rep = onboard(admin_user, team)

    assert rep.email == "new.rep@example.com"
    assert rep.role == Role.REP and rep.team == team
    assert not rep.has_usable_password()
    invitation = Invitation.objects.get(user=rep)
    assert invitation.status == "pending"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.rep@example.com"]
    # The token carries a timestamp, so read it back rather than signing a second one.
    link = re.search(r"/accounts/invite/([^/\s]+)/", mail.outbox[0].body)
    assert link and invitation_from_token(link.group(1)) == invitation


def test_onboarding_tells_higher_layers_about_new_reps(admin_user, team):
    received = []

    def receiver(sender, users, by, **kwargs):
        received.append(([user.email for user in users], by))

    signals.reps_onboarded.connect(receiver)
    try:
        onboard(admin_user, team)
    finally:
        signals.reps_onboarded.disconnect(receiver)
    assert received == [(["new.rep@example.com"], admin_user)]


def test_onboarding_rejects_an_unknown_time_zone_and_writes_nothing(admin_user, team):
    with pytest.raises(ValidationError) as error:
        onboard(admin_user, team, timezone="Mars/Olympus")
    assert "not a known time zone" in error.value.message_dict["timezone"][0]
    assert not User.objects.filter(email="new.rep@example.com").exists()
    assert not Invitation.objects.exists()


def test_a_rep_needs_a_team(admin_user):
    with pytest.raises(ValidationError) as error:
        onboard(admin_user, None)
    assert "must belong to a team" in str(error.value)


def test_accepting_an_invitation_sets_the_password_once(admin_user, team):
    rep = onboard(admin_user, team)
    token = invitation_token(rep.invitations.get())

    services.invitation_accept(token=token, password="a-long-secret-99")

    rep.refresh_from_db()
    assert rep.check_password("a-long-secret-99")
    with pytest.raises(InvitationUnusable) as reused:
        services.invitation_accept(token=token, password="another-secret-99")
    assert "already used" in str(reused.value.reason)


def test_an_expired_invitation_cannot_be_used(admin_user, team):
    rep = onboard(admin_user, team)
    invitation = rep.invitations.get()
    invitation.expires_at = timezone.now() - dt.timedelta(seconds=1)
    invitation.save()
    with pytest.raises(InvitationUnusable) as expired:
        services.invitation_accept(
            token=invitation_token(invitation), password="x" * 12
        )
    assert "expired" in str(expired.value.reason)


def test_a_weak_password_is_refused_and_the_link_still_works(admin_user, team):
    rep = onboard(admin_user, team)
    token = invitation_token(rep.invitations.get())
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, password="123")
    assert rep.invitations.get().accepted_at is None


def test_resending_rotates_the_link_so_only_the_newest_works(admin_user, team):
    rep = onboard(admin_user, team)
    first = rep.invitations.get()
    old_token = invitation_token(first)

    second = services.invitation_resend(invitation=first, by=admin_user)

    with pytest.raises(InvitationUnusable) as old:
        services.invitation_accept(token=old_token, password="a-long-secret-99")
    assert "withdrawn" in str(old.value.reason)
    services.invitation_accept(
        token=invitation_token(second), password="a-long-secret-99"
    )


def test_a_revoked_invitation_says_so(admin_user, team):
    rep = onboard(admin_user, team)
    invitation = services.invitation_revoke(
        invitation=rep.invitations.get(), by=admin_user
    )
    with pytest.raises(InvitationUnusable) as revoked:
        services.invitation_accept(
            token=invitation_token(invitation), password="x" * 12
        )
    assert "withdrawn" in str(revoked.value.reason)


def test_a_tampered_link_is_invalid(admin_user, team):
    rep = onboard(admin_user, team)
    token = invitation_token(rep.invitations.get())
    with pytest.raises(InvitationUnusable) as tampered:
        services.invitation_accept(token=token[:-2] + "xx", password="x" * 12)
    assert "not valid" in str(tampered.value.reason)


def test_reps_change_their_profile_but_not_their_role_or_team(rep):
    services.user_update(user=rep, by=rep, title="Closer", timezone="Europe/London")
    rep.refresh_from_db()
    assert (rep.title, rep.timezone) == ("Closer", "Europe/London")

    with pytest.raises(ValidationError) as error:
        services.user_update(user=rep, by=rep, role=Role.ADMIN)
    assert error.value.message_dict == {"role": ["Only an admin can change this."]}
    rep.refresh_from_db()
    assert rep.role == Role.REP


def test_deactivation_blocks_login_and_tokens_and_keeps_the_user(admin_user, rep):
    token_issue(user=rep)

    services.user_deactivate(user=rep, by=admin_user)

    rep.refresh_from_db()
    assert not rep.is_active and rep.deactivated_at is not None
    login_request = RequestFactory().post("/accounts/login/")
    assert (
        authenticate(login_request, username=rep.email, password=factories.PASSWORD)
        is None
    )
    assert not AuthToken.objects.filter(user=rep).exists()
    assert User.objects.filter(pk=rep.pk).exists()


def test_deactivation_can_be_undone(admin_user, rep):
    services.user_deactivate(user=rep, by=admin_user)
    services.user_reactivate(user=rep, by=admin_user)
    rep.refresh_from_db()
    assert rep.is_active and rep.deactivated_at is None


def test_admins_cannot_deactivate_themselves_or_a_team_lead(admin_user, manager, team):
    with pytest.raises(ValidationError, match="your own account"):
        services.user_deactivate(user=admin_user, by=admin_user)
    with pytest.raises(ValidationError, match="still leads a team"):
        services.user_deactivate(user=manager, by=admin_user)


def test_changes_to_people_are_audited(admin_user, rep):
    services.user_update(user=rep, by=admin_user, title="Team lead")
    latest = rep.history.first()
    assert latest.title == "Team lead"
    assert latest.history_type == "~"


def test_a_retried_invitation_task_mails_nobody_twice(admin_user, team, monkeypatch):
    from accounts import services as people

    invitations = [
        onboard(admin_user, team, email=f"r{n}@example.com").invitations.get()
        for n in range(3)
    ]
    real_send = people.send_mail
    calls = []

    def flaky_send(**kwargs):
        calls.append(kwargs["recipient_list"][0])
        if len(calls) == 3:
            raise OSError("SMTP went away")
        return real_send(**kwargs)

    monkeypatch.setattr(people, "send_mail", flaky_send)
    ids = [invitation.pk for invitation in invitations]
    with pytest.raises(OSError):
        people.invitations_send(invitation_ids=ids)
    assert people.invitations_send(invitation_ids=ids) == 1  # only the failed one again
    # Three people, one email each; only the failed one was tried a second time.
    assert len(calls) == 4 and len(set(calls)) == 3 and calls[3] == calls[2]


def test_deactivating_a_teams_manager_names_the_team(admin_user, manager, team):
    with pytest.raises(ValidationError) as refused:
        services.user_deactivate(user=manager, by=admin_user)
    assert refused.value.messages == [
        f"{manager} still leads a team ({team.name}). Give it another manager first."
    ]


def test_only_a_superuser_changes_or_deactivates_a_superuser(admin_user):
    # Given an in-app admin who is not a superuser
    in_app_admin = factories.UserFactory(role=Role.ADMIN)

    # When they call the services directly, then they are refused and nothing changes
    with pytest.raises(PermissionDenied):
        services.user_update(user=admin_user, by=in_app_admin, email="x@example.com")
    with pytest.raises(PermissionDenied):
        services.user_deactivate(user=admin_user, by=in_app_admin)
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.email != "x@example.com"


def test_an_unchanged_email_sends_no_notice(
    admin_user, rep, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_update(user=rep, by=admin_user, email=rep.email, title="Lead")
    assert mail.outbox == []
