"""The foundation: settings, health, the API shell, error pages, demo data, beat."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from rest_framework.authtoken.models import Token

from accounts.models import Role, Team, User
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
    assert response.json() == {"token": Token.objects.get(user=user).key}

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
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/" in response.content
    assert b"cdn" not in response.content.lower()


@pytest.mark.django_db
def test_api_lists_need_authentication(api_client):
    assert api_client.get("/api/v1/me/").status_code in (401, 403)
    user = factories.RepFactory()
    assert api_client_for(user).get("/api/v1/me/").status_code == 200
