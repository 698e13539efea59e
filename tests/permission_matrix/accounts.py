"""People: authentication, directory, profiles, onboarding, import, invitations, API."""

from accounts.invitations import invitation_token
from accounts.models import ImportJob
from tests import factories
from tests.permission_matrix import (
    API_ANON,
    LOGIN,
    VIEWERS,
    Row,
    admin_only,
    everyone,
    staff_only,
    team_a_object,
)


def rep_pk(world) -> dict:
    return {"pk": world["rep"].pk}


def team_pk(world) -> dict:
    return {"pk": world["team"].pk}


def invitation_pk(world) -> dict:
    return {"pk": factories.InvitationFactory(user=world["rep"]).pk}


def invitation_link(world) -> dict:
    return {"token": invitation_token(factories.InvitationFactory(user=world["rep"]))}


def import_job_pk(world) -> dict:
    job = ImportJob.objects.create(created_by=world["admin"], content="email\n")
    return {"pk": job.pk}


def superuser_pk(world) -> dict:
    """A superuser to reach, with the world's admin made an in-app admin (no superuser).

    Only a superuser changes or deactivates a superuser; for anyone else it is not
    found, whatever they may do to other people.
    """
    world["admin"].is_superuser = False
    world["admin"].save(update_fields=["is_superuser"])
    return {"pk": factories.AdminFactory().pk}


def out_of_reach(*, others: int = 404, anonymous=LOGIN) -> dict:
    return dict.fromkeys(VIEWERS, others) | {"anonymous": anonymous, "admin": 404}


API_ADMIN_ONLY = admin_only(200, others=403, anonymous=API_ANON)

ROWS = [
    # Authentication
    Row("login", everyone(302, anonymous=200)),
    Row("logout", everyone(302, anonymous=302), method="post"),
    Row("password_reset", everyone(200, anonymous=200)),
    Row("password_reset_done", everyone(200, anonymous=200)),
    Row(
        "password_reset_confirm",
        everyone(200, anonymous=200),
        kwargs=lambda world: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Row("password_reset_complete", everyone(200, anonymous=200)),
    Row("password_change", everyone(200)),
    Row("password_change_done", everyone(200)),
    # Directory and profiles: a rep sees their own profile; team B never sees team A's.
    Row("directory", everyone(200)),
    Row("person-detail", team_a_object(), kwargs=rep_pk),
    Row("person-edit", team_a_object(), kwargs=rep_pk),
    Row("person-deactivate", admin_only(302), kwargs=rep_pk, method="post"),
    Row("person-reactivate", admin_only(302), kwargs=rep_pk, method="post"),
    # A superuser is out of reach of everyone who is not one, an in-app admin too.
    Row("person-edit", out_of_reach(), kwargs=superuser_pk),
    Row("person-edit", out_of_reach(), kwargs=superuser_pk, method="post"),
    Row(
        "person-deactivate",
        out_of_reach(others=403),
        kwargs=superuser_pk,
        method="post",
    ),
    Row(
        "person-reactivate",
        out_of_reach(others=403),
        kwargs=superuser_pk,
        method="post",
    ),
    # Onboarding (admins)
    Row("rep-add", admin_only()),
    Row("people-import", admin_only()),
    Row("people-import-template", admin_only()),
    Row("people-import-job", admin_only(), kwargs=import_job_pk),
    Row("invitations", admin_only()),
    Row("invitation-resend", admin_only(302), kwargs=invitation_pk, method="post"),
    Row("invitation-revoke", admin_only(302), kwargs=invitation_pk, method="post"),
    Row("invitation-accept", everyone(200, anonymous=200), kwargs=invitation_link),
    Row("welcome", everyone(200)),
    # Teams and audit
    Row("teams", staff_only()),
    Row("team-add", admin_only()),
    Row("team-edit", admin_only(), kwargs=team_pk),
    Row("audit-log", admin_only()),
    Row("notifications", everyone(200)),
    Row("notifications-read", everyone(302), method="post"),
    # API
    Row(
        "api-token", everyone(400, anonymous=400), method="post", data=lambda world: {}
    ),
    Row("api-me", everyone(200, anonymous=API_ANON)),
    Row("api-user-list", everyone(200, anonymous=API_ANON)),
    Row(
        "api-user-list",
        admin_only(400, others=403, anonymous=API_ANON),
        method="post",
        data=lambda world: {},
    ),
    Row("api-user-detail", team_a_object(anonymous=API_ANON), kwargs=rep_pk),
    Row(
        "api-user-detail",
        team_a_object(anonymous=API_ANON),
        kwargs=rep_pk,
        method="patch",
        data=lambda world: {"title": "Senior rep"},
    ),
    Row("api-user-deactivate", API_ADMIN_ONLY, kwargs=rep_pk, method="post"),
    Row(
        "api-user-detail",
        out_of_reach(anonymous=API_ANON),
        kwargs=superuser_pk,
        method="patch",
        data=lambda world: {"email": "taken-over@example.com"},
    ),
    Row(
        "api-user-deactivate",
        out_of_reach(others=403, anonymous=API_ANON),
        kwargs=superuser_pk,
        method="post",
    ),
    Row(
        "api-user-reactivate",
        out_of_reach(others=403, anonymous=API_ANON),
        kwargs=superuser_pk,
        method="post",
    ),
    Row(
        "api-user-reactivate",
        admin_only(400, others=403, anonymous=API_ANON),
        kwargs=rep_pk,
        method="post",
    ),
    Row("api-team-list", everyone(200, anonymous=API_ANON)),
    Row("api-team-detail", team_a_object(anonymous=API_ANON), kwargs=team_pk),
    Row("api-invitation-list", API_ADMIN_ONLY),
    Row("api-invitation-detail", API_ADMIN_ONLY, kwargs=invitation_pk),
    Row(
        "api-invitation-resend",
        admin_only(201, others=403, anonymous=API_ANON),
        kwargs=invitation_pk,
        method="post",
    ),
    Row("api-invitation-revoke", API_ADMIN_ONLY, kwargs=invitation_pk, method="post"),
    Row("api-notification-list", everyone(200, anonymous=API_ANON)),
    Row(
        "api-notification-mark-read",
        everyone(200, anonymous=API_ANON),
        method="post",
        data=lambda world: {},
    ),
]
