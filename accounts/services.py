"""Every write about people: users, teams, invitations, onboarding and offboarding."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from accounts import signals
from accounts.invitations import invitation_from_token, invitation_token
from accounts.models import Invitation, Role, Team, User
from accounts.permissions import may_change_account
from accounts.tokens import tokens_revoke_all
from accounts.validators import phone_normalised
from core import events

logger = logging.getLogger(__name__)

PROFILE_FIELDS = {
    "first_name",
    "last_name",
    "timezone",
    "work_days",
    "work_start",
    "work_end",
    "language",
    "title",
    "phone",
}
ADMIN_ONLY_FIELDS = {"role", "team", "start_date", "email"}


# --- Teams ----------------------------------------------------------------------------


@transaction.atomic
def team_create(*, name: str, manager: User, description: str = "") -> Team:
    team = Team(name=name.strip(), manager=manager, description=description)
    team.full_clean()
    team.save()
    return team


@transaction.atomic
def team_update(*, team: Team, **fields) -> Team:
    for name, value in fields.items():
        setattr(team, name, value)
    team.full_clean()
    team.save()
    return team


# --- Users ----------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    role: str = Role.REP,
    team: Team | None = None,
    timezone: str = "UTC",
    start_date: dt.date | None = None,
    password: str | None = None,
    **profile,
) -> User:
    """Create a person; without a password they cannot log in until invited."""
    if "phone" in profile:
        profile["phone"] = phone_normalised(profile["phone"])
    user = User(
        email=email.strip().lower(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        team=team,
        timezone=timezone,
        start_date=start_date,
        **profile,
    )
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def check_leads_no_team(*, user: User, field: str | None = None) -> None:
    """A team's manager stays a manager: demoting or deactivating them would leave the
    team without one. The error names the teams (under `field` when given)."""
    led = list(user.managed_teams.order_by("name").values_list("name", flat=True))
    if not led:
        return
    message = ngettext(
        "%(name)s still leads a team (%(teams)s). Give it another manager first.",
        "%(name)s still leads teams (%(teams)s). Give each another manager first.",
        len(led),
    ) % {"name": user, "teams": ", ".join(led)}
    raise ValidationError({field: [message]} if field else message)


def check_may_change_account(*, user: User, by: User) -> None:
    """Pages and API already 404 (`user_get_for_change`); this guards other callers."""
    if not may_change_account(by, user):
        raise PermissionDenied(_("Only a superuser can change a superuser."))


@transaction.atomic
def user_update(*, user: User, by: User, **fields) -> User:
    """Change a person's profile; role, team, email and start date are for admins only.

    A changed email is announced to the old address after commit, so a takeover through
    an email change cannot go unnoticed.
    """
    check_may_change_account(user=user, by=by)
    unknown = set(fields) - PROFILE_FIELDS - ADMIN_ONLY_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    restricted = {
        name
        for name in set(fields) & ADMIN_ONLY_FIELDS
        if fields[name] != getattr(user, name)
    }
    if restricted and not by.is_admin:
        raise ValidationError(
            {name: _("Only an admin can change this.") for name in sorted(restricted)}
        )
    if fields.get("role", user.role) == Role.REP and user.role != Role.REP:
        check_leads_no_team(user=user, field="role")
    old_email = user.email
    if "phone" in fields:
        fields["phone"] = phone_normalised(fields["phone"])
    for name, value in fields.items():
        setattr(user, name, value.strip().lower() if name == "email" else value)
    user.full_clean(exclude=["password"])
    user.save()
    if user.email != old_email:
        transaction.on_commit(
            lambda: email_change_notice_send(user=user, old_email=old_email),
            robust=True,
        )
    return user


def email_change_notice_send(*, user: User, old_email: str) -> None:
    """Tell the old address that the account's email changed (the owner may not know)."""
    context = {"user": user, "old_email": old_email, "site_url": settings.SITE_URL}
    with translation.override(user.language):
        send_mail(
            subject=_("Your Salesteam email address was changed"),
            message=render_to_string("accounts/email/email_changed.txt", context),
            from_email=None,
            recipient_list=[old_email],
        )


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Offboard: block login and API tokens at once, keep every record they made."""
    check_may_change_account(user=user, by=by)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not user.is_active:
        raise ValidationError(_("%(name)s is already deactivated.") % {"name": user})
    check_leads_no_team(user=user)
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    tokens_revoke_all(user=user)
    Invitation.objects.filter(user=user, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )
    signals.user_deactivated.send(sender=User, user=user, by=by)
    return user


@transaction.atomic
def user_reactivate(*, user: User, by: User) -> User:
    check_may_change_account(user=user, by=by)
    if user.is_active:
        raise ValidationError(_("%(name)s is already active.") % {"name": user})
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    return user


# --- Invitations and onboarding -------------------------------------------------------


def invitation_expiry(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(days=settings.INVITATION_TTL_DAYS)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("invitation-accept", kwargs={"token": invitation_token(invitation)})
    return settings.SITE_URL.rstrip("/") + path


def invitations_queue_email(invitation_ids: list[int]) -> None:
    """Email the invitations after commit; a broker outage is logged, not fatal."""
    from accounts.tasks import invitations_send_task
    from core.queueing import enqueue_on_commit

    if invitation_ids:
        enqueue_on_commit(invitations_send_task, list(invitation_ids))


@transaction.atomic
def invitation_create(*, user: User, by: User | None) -> Invitation:
    """A fresh invitation for `user`; any earlier pending one stops working."""
    now = timezone.now()
    Invitation.objects.filter(user=user, accepted_at=None, revoked_at=None).update(
        revoked_at=now
    )
    invitation = Invitation.objects.create(
        user=user, created_by=by, expires_at=invitation_expiry(now)
    )
    invitations_queue_email([invitation.pk])
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """Send the link again with a new secret and a new expiry date."""
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if not invitation.user.is_active:
        raise ValidationError(_("This person is deactivated; reactivate them first."))
    return invitation_create(user=invitation.user, by=by)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the invited person's password and close the invitation (single use)."""
    invitation = invitation_from_token(token, for_update=True)
    user = invitation.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


def invitations_send(*, invitation_ids: list[int]) -> int:
    """Email each still-pending, not yet sent invitation its link; returns how many.

    Each invitation is claimed (sent_at set) before its email goes, so a retried task
    never mails anyone twice; a failed send releases the claim for the retry.
    """
    pending = Invitation.objects.select_related("user", "user__team").filter(
        pk__in=invitation_ids,
        accepted_at=None,
        revoked_at=None,
        sent_at=None,
        expires_at__gt=timezone.now(),
    )
    sent = 0
    for invitation in pending:
        claimed = Invitation.objects.filter(pk=invitation.pk, sent_at=None).update(
            sent_at=timezone.now()
        )
        if not claimed:
            continue
        context = {
            "invitation": invitation,
            "user": invitation.user,
            "url": invitation_url(invitation),
        }
        try:
            with translation.override(invitation.user.language):
                send_mail(
                    subject=_("You are invited to Salesteam"),
                    message=render_to_string("accounts/email/invitation.txt", context),
                    from_email=None,
                    recipient_list=[invitation.user.email],
                )
        except Exception:
            Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
            raise
        sent += 1
    return sent


def local_today(zone_name: str) -> dt.date:
    """Today in a zone; an unknown zone falls back to UTC (validation reports it)."""
    try:
        return dt.datetime.now(ZoneInfo(zone_name)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return dt.datetime.now(dt.UTC).date()


@transaction.atomic
def rep_onboard(
    *,
    by: User,
    email: str,
    first_name: str,
    last_name: str,
    timezone: str,
    team: Team | None = None,
    start_date: dt.date | None = None,
    role: str = Role.REP,
    template: str = "",
) -> User:
    """Add a person and email them an invitation to choose a password.

    A rep needs a team; a manager or admin need not sit in one (they lead teams).
    `template` names the target template a new rep starts with (default: the default).
    """
    user = user_create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        team=team,
        timezone=timezone,
        start_date=start_date or local_today(timezone),
    )
    invitation_create(user=user, by=by)
    signals.reps_onboarded.send(
        sender=User,
        users=[user],
        by=by,
        templates={user.pk: template} if template else {},
    )
    events.publish("person.onboarded", user_id=user.pk)
    return user


@transaction.atomic
def people_create_in_bulk(*, rows: list[dict], by: User | None) -> list[User]:
    """Create validated people and their invitations in one transaction (CSV import)."""
    users, template_of_email = [], {}
    for row in rows:
        row = dict(row)
        if template := row.pop("template", ""):
            template_of_email[row["email"]] = template
        user = User(**row)
        user.set_unusable_password()
        users.append(user)
    users = bulk_create_with_history(users, User, batch_size=500, default_user=by)
    if any(user.pk is None for user in users):  # databases that return no ids
        users = list(User.objects.filter(email__in=[user.email for user in users]))
    expires_at = invitation_expiry()
    invitations = Invitation.objects.bulk_create(
        [Invitation(user=user, created_by=by, expires_at=expires_at) for user in users],
        batch_size=500,
    )
    invitations_queue_email([invitation.pk for invitation in invitations])
    templates = {
        user.pk: template_of_email[user.email]
        for user in users
        if user.email in template_of_email
    }
    signals.reps_onboarded.send(sender=User, users=users, by=by, templates=templates)
    for user in users:
        events.publish("person.onboarded", user_id=user.pk)
    return users
