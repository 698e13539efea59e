"""The history import's pages and API (coaching.history_views, coaching.history_api)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import ImportJob
from activities.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics(standard_metrics):
    return standard_metrics


def activities_csv(rep, quantity="5") -> str:
    return f"date,email,metric,quantity,outcome\n2026-09-14,{rep.email},calls,{quantity},\n"


def test_the_admin_uploads_a_file_and_sees_it_imported(client, admin_user, rep):
    # Given the admin on the import page
    client.force_login(admin_user)
    assert client.get(reverse("history:import")).status_code == 200
    # When they upload a valid activities file
    upload = SimpleUploadedFile("calls.csv", activities_csv(rep).encode())
    response = client.post(
        reverse("history:import"), {"kind": "activities", "file": upload}, follow=True
    )
    # Then the job page shows it imported with a full progress bar
    assert response.status_code == 200
    assert b'data-status="done"' in response.content
    assert b"1 row was imported." in response.content
    assert Activity.objects.filter(rep=rep).count() == 1


def test_a_bad_line_is_named_on_the_job_page(client, admin_user, rep):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("calls.csv", activities_csv(rep, "lots").encode())
    response = client.post(
        reverse("history:import"), {"kind": "activities", "file": upload}, follow=True
    )
    assert b'data-status="failed"' in response.content
    assert b"Line 2" in response.content
    assert not Activity.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_on_the_form(client, admin_user):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("calls.csv", "date,é\n".encode("latin-1"))
    response = client.post(
        reverse("history:import"), {"kind": "activities", "file": upload}
    )
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_people_import_has_no_history_job_page(client, admin_user):
    job = ImportJob.objects.create(created_by=admin_user, content="email\n")
    client.force_login(admin_user)
    assert client.get(reverse("history:job", args=[job.pk])).status_code == 404


def test_the_templates_download_with_their_header(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("history:template", args=["targets"]))
    assert response.content.startswith(b"email,metric,period,amount,effective_from")
    assert client.get(reverse("history:template", args=["nope"])).status_code == 404


def test_a_rep_may_not_import_history(client, rep):
    client.force_login(rep)
    assert client.get(reverse("history:import")).status_code == 403


def test_the_replay_button_replays_and_says_what_changed(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("history:replay"), follow=True)
    assert response.status_code == 200
    assert b"Replayed" in response.content


# --- API ------------------------------------------------------------------------------


def test_api_imports_a_file_once_per_idempotency_key(api_client, admin_user, rep):
    # Given an admin with a valid file as content
    api_client.force_authenticate(admin_user)
    body = {"kind": "activities", "content": activities_csv(rep)}
    # When they post it twice with the same key
    first = api_client.post(
        "/api/v1/history-imports/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    again = api_client.post(
        "/api/v1/history-imports/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    # Then the first is 201 done, the retry replays it, and one activity exists
    assert first.status_code == 201, first.content
    assert (first.json()["status"], first.json()["imported_count"]) == ("done", 1)
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert Activity.objects.filter(rep=rep).count() == 1
    # And the same key with another file is refused with 422
    other = {"kind": "activities", "content": activities_csv(rep, "6")}
    reused = api_client.post(
        "/api/v1/history-imports/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert reused.status_code == 422


def test_api_the_same_file_without_a_key_returns_the_first_job(
    api_client, admin_user, rep
):
    api_client.force_authenticate(admin_user)
    upload = SimpleUploadedFile("calls.csv", activities_csv(rep).encode())
    first = api_client.post(
        "/api/v1/history-imports/",
        {"kind": "activities", "file": upload},
        format="multipart",
    )
    again = api_client.post(
        "/api/v1/history-imports/",
        {"kind": "activities", "content": activities_csv(rep)},
        format="json",
    )
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert again.json()["id"] == first.json()["id"]
    assert Activity.objects.filter(rep=rep).count() == 1
    job = api_client.get(f"/api/v1/history-imports/{first.json()['id']}/")
    assert (job.status_code, job.json()["kind"]) == (200, "activities")


def test_api_a_bad_line_is_a_400_naming_it(api_client, admin_user, rep):
    api_client.force_authenticate(admin_user)
    response = api_client.post(
        "/api/v1/history-imports/",
        {"kind": "activities", "content": activities_csv(rep, "0")},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("Line 2: quantity")
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "activities"},
        {"kind": "nope", "content": "x"},
        {"kind": "deals", "content": "date,email\n"},
        {"kind": "deals", "content": "a\x00b"},
    ],
)
def test_api_bad_bodies_get_a_400_per_field(api_client, admin_user, body):
    api_client.force_authenticate(admin_user)
    response = api_client.post("/api/v1/history-imports/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) & {"kind", "file", "content"}


def test_api_is_for_admins_only(api_client, rep, manager):
    for person in (rep, manager):
        api_client.force_authenticate(person)
        response = api_client.post(
            "/api/v1/history-imports/",
            {"kind": "activities", "content": "x"},
            format="json",
        )
        assert response.status_code == 403


def test_api_replay_answers_with_a_summary(api_client, admin_user):
    api_client.force_authenticate(admin_user)
    factories.RepFactory(start_date=dt.date(2026, 1, 5))
    response = api_client.post("/api/v1/history-imports/replay/")
    assert response.status_code == 200
    assert set(response.json()) >= {"weeks", "autonomy_changes", "plans_opened"}
