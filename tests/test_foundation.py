"""The foundation: settings, health, the API shell, error pages, demo data, beat."""

import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from knox.models import AuthToken

from accounts.models import Role, Team, User
from accounts.tokens import token_issue
from salesteam.periodic import PeriodicTaskSpec, periodic_tasks_sync
from tests import factories
from tests.helpers import api_client_for


def test_custom_user_model_logs_in_by_email():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert User.USERNAME_FIELD == "email"


@pytest.mark.django_db
def test_createsuperuser_with_email_makes_an_admin():
    call_command(
        "createsuperuser", email="Root@Example.com", interactive=False, verbosity=0
    )
    root = User.objects.get(email="root@example.com")
    assert root.is_superuser and root.is_admin and root.role == Role.ADMIN


@pytest.mark.django_db
def test_login_page_logs_a_user_in(client):
    user = factories.ManagerFactory(email="mark@example.com")
    response = client.post(
        reverse("login"),
        {"username": "MARK@example.com", "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


@pytest.mark.django_db
def test_token_endpoint_exchanges_email_and_password(api_client):
    user = factories.RepFactory()
    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 200
    assert list(response.json()) == ["token"]
    # Only a hash of the token is stored, never the token itself.
    stored = AuthToken.objects.get(user=user)
    assert response.json()["token"] not in (stored.digest, stored.token_key)

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api_client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == user.email


@pytest.mark.django_db
def test_token_endpoint_rejects_a_wrong_password_with_a_message(api_client):
    user = factories.RepFactory()
    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": "wrong-password"}
    )
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]


def test_django_validation_error_becomes_a_400_with_field_messages():
    from django.core.exceptions import ValidationError

    from core.api_errors import exception_handler

    response = exception_handler(
        ValidationError({"quantity": ["Too many."], "__all__": ["Bad."]}), {}
    )
    assert response.status_code == 400
    assert response.data == {"quantity": ["Too many."], "non_field_errors": ["Bad."]}


@pytest.mark.django_db
def test_healthz_reports_database_up_and_broker_down_with_200(
    client, settings, monkeypatch
):
    from salesteam import health

    monkeypatch.setattr(health, "broker_state", lambda: "down")
    client.force_login(factories.AdminFactory())
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "up"
    assert body["broker"] == "down"
    assert body["worker"] == {"state": "unknown", "last_seen": None}


@pytest.mark.django_db
def test_healthz_shows_a_live_worker_after_a_heartbeat(client):
    from salesteam.tasks import worker_heartbeat

    worker_heartbeat.delay("worker-1")
    client.force_login(factories.AdminFactory())
    assert client.get("/healthz").json()["worker"]["state"] == "up"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from salesteam import health

    monkeypatch.setattr(health, "database_state", lambda: "down")
    monkeypatch.setattr(health, "broker_state", lambda: "down")
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_error_pages_render_in_the_site_layout(client):
    factories.RepFactory(email="rep@example.com")
    client.force_login(User.objects.get(email="rep@example.com"))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_500_page_renders_without_a_request_context():
    from django.test import RequestFactory

    from salesteam.views import error_500

    response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_spans_four_time_zones(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert User.objects.filter(role=Role.REP).count() == 12
    assert User.objects.filter(role=Role.MANAGER).count() == 2
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    assert Team.objects.count() == 2
    zones = set(User.objects.filter(role=Role.REP).values_list("timezone", flat=True))
    assert {
        "Europe/Athens",
        "Europe/London",
        "America/New_York",
        "Australia/Sydney",
    } <= zones
    assert "salesteam-demo" in capsys.readouterr().out


@pytest.mark.django_db
def test_periodic_tasks_are_synced_on_migrate_and_retired_ones_disabled():
    assert PeriodicTask.objects.get(name="salesteam: worker heartbeat").enabled
    periodic_tasks_sync(
        [
            PeriodicTaskSpec(
                name="nightly", task="salesteam.worker_heartbeat", crontab="0 2 * * *"
            )
        ]
    )
    assert PeriodicTask.objects.get(name="salesteam: nightly").crontab.hour == "2"
    assert not PeriodicTask.objects.get(name="salesteam: worker heartbeat").enabled


def test_celery_is_json_only_and_survives_lost_workers():
    from salesteam.celery import app

    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    if settings.REDIS_URL:
        visibility = app.conf.broker_transport_options["visibility_timeout"]
        assert visibility > app.conf.task_time_limit


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-1234567890",
        "ALLOWED_HOSTS": "sales.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_openapi_schema_validates_without_warnings(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yml"),
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_swagger_ui_is_served_offline(client):
    client.force_login(factories.RepFactory())
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content
    assert b"cdn" not in response.content.lower()


@pytest.mark.django_db
def test_api_lists_need_authentication(api_client):
    assert api_client.get("/api/v1/me/").status_code in (401, 403)
    user = factories.RepFactory()
    assert api_client_for(user).get("/api/v1/me/").status_code == 200


# --- Login and API abuse (issue 13, point 5) -----------------------------------------


@pytest.mark.django_db
def test_failed_logins_from_many_addresses_lock_the_account_as_one_would(
    client, settings
):
    # Given a limit of 5 failures and 5 wrong passwords, each from another address
    settings.AXES_FAILURE_LIMIT = 5
    rep = factories.RepFactory()
    for number in range(5):
        client.post(
            reverse("login"),
            {"username": rep.email, "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{number + 1}",
        )
    # When the right password comes from a sixth address
    response = client.post(
        reverse("login"),
        {"username": rep.email, "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.99",
    )
    # Then the account is locked: eight addresses get no more tries than one
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_client_address_comes_only_from_the_configured_header(client, settings):
    from axes.models import AccessAttempt

    rep = factories.RepFactory()
    # Given the default: the socket's address; a forged X-Forwarded-For is ignored
    client.post(
        reverse("login"),
        {"username": rep.email, "password": "wrong"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"
    # When a proxy that sets X-Real-IP is configured as the trusted header
    AccessAttempt.objects.all().delete()
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP",)
    client.post(
        reverse("login"),
        {"username": rep.email, "password": "wrong"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_X_REAL_IP="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    # Then that header, and only it, names the client
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


@pytest.fixture
def tight_api_rates(settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {"anon": "3/minute", "user": "4/minute", "token": "2/minute"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    # DRF's throttles read their rates once, at import.
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    yield rates
    SimpleRateThrottle.THROTTLE_RATES = original


@pytest.mark.django_db
def test_the_token_endpoint_throttles_first_with_a_429_and_retry_after(
    api_client, tight_api_rates
):
    # Given a token rate of 2 a minute
    user = factories.RepFactory()
    credentials = {"email": user.email, "password": "wrong-password"}
    for _attempt in range(2):
        assert api_client.post("/api/v1/auth/token/", credentials).status_code == 400
    # When a third attempt comes within the minute
    response = api_client.post("/api/v1/auth/token/", credentials)
    # Then it is a 429 that says when to come back
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "throttled" in response.json()["detail"]


@pytest.mark.django_db
def test_anonymous_and_signed_in_callers_have_their_own_rates(
    api_client, tight_api_rates, settings
):
    # Given an anonymous rate of 3 and a per-user rate of 4 a minute
    settings.API_DOCS_PUBLIC = True  # the schema: an API page anyone may read
    for _attempt in range(3):
        assert api_client.get("/api/schema/").status_code == 200
    assert api_client.get("/api/schema/").status_code == 429
    rep_api = api_client_for(factories.RepFactory())
    for _attempt in range(4):
        assert rep_api.get("/api/v1/me/").status_code == 200
    # When the user goes over theirs
    response = rep_api.get("/api/v1/me/")
    # Then it is a 429 with Retry-After
    assert response.status_code == 429
    assert "Retry-After" in response


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_buy_fresh_rate_limits(
    api_client, tight_api_rates
):
    # Given a token rate of 2 a minute
    credentials = {"email": "nobody@example.com", "password": "wrong-password"}
    # When each attempt claims another address in X-Forwarded-For
    statuses = [
        api_client.post(
            "/api/v1/auth/token/", credentials, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
        ).status_code
        for n in range(3)
    ]
    # Then they all count against the one real address
    assert statuses == [400, 400, 429]


# --- Tokens have a lifecycle (issue 13, point 6) -------------------------------------


def token_for(api_client, user) -> str:
    response = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 200, response.json()
    return response.json()["token"]


@pytest.mark.django_db
def test_delete_revokes_the_callers_token_and_it_then_gets_a_401(api_client):
    # Given a rep with two tokens (a dialer and a script)
    user = factories.RepFactory()
    dialer, script = token_for(api_client, user), token_for(api_client, user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {dialer}")
    # When the dialer revokes its token
    assert api_client.delete("/api/v1/auth/token/").status_code == 204
    # Then that token is refused and the other still works
    assert api_client.get("/api/v1/me/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {script}")
    assert api_client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_delete_without_a_token_is_a_401(api_client):
    assert api_client.delete("/api/v1/auth/token/").status_code == 401


@pytest.mark.django_db
def test_a_password_change_revokes_the_persons_tokens(api_client, client):
    # Given a rep with an API token
    user = factories.RepFactory()
    token = token_for(api_client, user)
    # When they change their password on the page
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    # Then the token no longer works
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_a_password_reset_revokes_the_persons_tokens(api_client, client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    # Given a rep with an API token and a reset link
    user = factories.RepFactory()
    token = token_for(api_client, user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = reverse(
        "password_reset_confirm",
        args=[uid, default_token_generator.make_token(user)],
    )
    form_url = client.get(link)["Location"]
    # When they set a new password through it
    response = client.post(
        form_url,
        {
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    # Then the token no longer works
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_a_token_expires_after_the_configured_time(api_client):
    import datetime as dt

    from django.utils import timezone

    # Given a token whose time to live has run out
    user = factories.RepFactory()
    token = token_for(api_client, user)
    stored = AuthToken.objects.get(user=user)
    lifetime = stored.expiry - stored.created
    assert abs(lifetime - settings.REST_KNOX["TOKEN_TTL"]) < dt.timedelta(seconds=1)
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    # When it is used
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    # Then it is refused
    assert api_client.get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_a_token_of_the_old_kind_no_longer_authenticates(api_client):
    # A DRF authtoken key was 40 hex characters, stored in clear; knox stores hashes.
    factories.RepFactory()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {'ab' * 20}")
    assert api_client.get("/api/v1/me/").status_code == 401


# --- Production refuses to start unsafe (issue 13, point 12) -------------------------


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "sales.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_with_a_nonce(client):
    client.force_login(factories.RepFactory())
    response = client.get(reverse("home"), follow=True)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy.split("style-src-attr")[0]
    # No inline event handler is left for the policy to refuse.
    assert not re.search(r"\son[a-z]+=", response.content.decode())


@pytest.mark.django_db
def test_in_production_the_api_schema_and_docs_need_a_login(client, settings):
    # Given production: DEBUG off, API_DOCS_PUBLIC unset
    settings.DEBUG = False
    settings.API_DOCS_PUBLIC = None
    # When an anonymous caller asks for them
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")
    # Then the schema is a 401 and the docs send them to log in
    assert schema.status_code == 401
    assert docs.status_code == 302
    assert docs["Location"].startswith(reverse("login"))
    # And a person who is logged in sees both
    client.force_login(factories.RepFactory())
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_on_a_laptop_the_api_schema_and_docs_are_open(client, settings):
    settings.DEBUG = True
    settings.API_DOCS_PUBLIC = None
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_healthz_tells_anonymous_callers_only_up_or_down(client, monkeypatch):
    from salesteam import health

    monkeypatch.setattr(health, "broker_state", lambda: "down")
    assert client.get("/healthz").json() == {"status": "ok"}
    monkeypatch.setattr(health, "database_state", lambda: "down")
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "error"})
    client.force_login(factories.RepFactory())
    assert client.get("/healthz").json() == {"status": "error"}
    # The app's admins see the parts, Django staff or not, by session or API token.
    admin = factories.UserFactory(role="admin")
    client.force_login(admin)
    assert client.get("/healthz").json()["database"] == "down"
    client.logout()
    token = token_issue(user=admin)
    by_token = client.get("/healthz", HTTP_AUTHORIZATION=f"Token {token}")
    assert by_token.json()["database"] == "down"
    forged = client.get("/healthz", HTTP_AUTHORIZATION="Token forged")
    assert forged.json() == {"status": "error"}


# --- The API's own edges (issue 13, point 14) ----------------------------------------


OUR_APPS = ("accounts", "activities", "targets", "meetings", "coaching", "core")


def all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from all_subclasses(subclass)


def writable_datetime_fields():
    """(serializer, field name, field) for every writable datetime of our serializers."""
    from rest_framework import serializers

    import salesteam.api_urls  # noqa: F401  (imports every app's API)

    for serializer_class in set(all_subclasses(serializers.Serializer)):
        if not serializer_class.__module__.startswith(OUR_APPS):
            continue
        if issubclass(serializer_class, serializers.ModelSerializer) and not hasattr(
            serializer_class, "Meta"
        ):
            continue  # an abstract base: its subclasses are walked
        for name, field in serializer_class().fields.items():
            if isinstance(field, serializers.DateTimeField) and not field.read_only:
                yield serializer_class.__name__, name, field


@pytest.mark.django_db
def test_every_writable_datetime_in_the_api_requires_an_offset():
    from core.api_fields import OffsetDateTimeField

    fields = list(writable_datetime_fields())
    assert fields, "the walk found no datetime fields at all"
    plain = [
        f"{serializer}.{name}"
        for serializer, name, field in fields
        if not isinstance(field, OffsetDateTimeField)
    ]
    assert plain == []


@pytest.mark.django_db
def test_a_meeting_start_without_an_offset_is_a_400(team):
    response = api_client_for(team.manager).post(
        "/api/v1/meetings/",
        {
            "kind": "team",
            "title": "Weekly",
            "starts_at": "2030-01-07T09:00:00",
            "duration_minutes": 30,
            "team": team.pk,
        },
    )
    assert response.status_code == 400
    assert "Include a UTC offset" in response.json()["starts_at"][0]


@pytest.mark.django_db
def test_a_datetime_filter_without_an_offset_is_a_400(rep):
    response = api_client_for(rep).get("/api/v1/meetings/?from=2030-01-07T09:00:00")
    assert response.status_code == 400
    assert "Include a UTC offset" in response.json()["from"][0]


def test_the_filesystem_broker_creates_its_folders_before_anything_is_queued(tmp_path):
    # Given a laptop without REDIS_URL and a var/ folder that does not exist yet
    var = tmp_path / "var"
    code = (
        "import django; django.setup(); "
        "import salesteam.celery_config as c; print(c.broker_url)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "salesteam.settings",
        "VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    # When the Celery configuration is read (as by the first task queued)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    # Then the transport's folders are there
    assert result.stdout.strip() == "filesystem://"
    assert (var / "celery" / "queue").is_dir()
    assert (var / "celery" / "processed").is_dir()
