"""CSV import of people: all rows checked first, errors by line, all or nothing."""

import io
import time

import pytest
from django.core import mail
from django.db import IntegrityError

from accounts.models import ImportJob, Invitation, User
from accounts.people_import import (
    COLUMNS,
    TEMPLATE_CSV,
    import_job_create,
    import_job_run,
)
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


def csv_of(rows: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def good_rows(count: int, team: str) -> list[str]:
    return [
        f"rep{n}@example.com,First{n},Last{n},{team},Europe/Athens,2026-12-01,rep"
        for n in range(count)
    ]


def run(admin, content: str) -> ImportJob:
    return import_job_run(
        job=import_job_create(by=admin, filename="people.csv", content=content)
    )


def test_a_valid_file_creates_people_and_invitations(
    admin_user, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = run(admin_user, csv_of(good_rows(4, team.name)))
    assert job.status == "done" and job.imported_count == 4
    assert User.objects.filter(email__startswith="rep", team=team).count() == 4
    assert Invitation.objects.count() == 4
    assert len(mail.outbox) == 4


def test_three_bad_rows_are_reported_by_line_and_nothing_is_imported(admin_user, team):
    factories.RepFactory(email="taken@example.com")
    rows = good_rows(6, team.name)
    rows[1] = f"x1@example.com,A,B,{team.name},Mars/Olympus,2026-12-01,rep"  # line 3
    rows[3] = "x2@example.com,A,B,No Such Team,Europe/Athens,2026-12-01,rep"  # line 5
    rows[4] = (
        f"taken@example.com,A,B,{team.name},Europe/Athens,2026-13-45,rep"  # line 6
    )

    people_before = User.objects.count()

    job = run(admin_user, csv_of(rows))

    assert job.status == "failed"
    assert [error["line"] for error in job.errors] == [3, 5, 6]
    assert "unknown time zone “Mars/Olympus”" in job.errors[0]["message"]
    assert "unknown team “No Such Team”" in job.errors[1]["message"]
    assert "already has an account" in job.errors[2]["message"]
    assert "not a date" in job.errors[2]["message"]
    assert User.objects.count() == people_before
    assert not Invitation.objects.exists()


def test_a_duplicate_email_within_the_file_names_both_lines(admin_user, team):
    rows = good_rows(2, team.name) + [good_rows(1, team.name)[0]]
    job = run(admin_user, csv_of(rows))
    assert job.errors == [
        {"line": 4, "message": "duplicate email rep0@example.com (also on line 2)"}
    ]


def test_a_byte_order_mark_and_windows_line_ends_are_fine(admin_user, team, client):
    client.force_login(admin_user)
    content = ("\ufeff" + csv_of(good_rows(2, team.name))).replace("\n", "\r\n")
    upload = io.BytesIO(content.encode("utf-8"))
    upload.name = "people.csv"
    response = client.post("/accounts/people/import/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.url == f"/accounts/people/import/{job.pk}/"
    assert job.status == "done" and job.imported_count == 2


def test_a_missing_header_column_is_reported_on_line_1(admin_user):
    job = run(admin_user, "email,first_name\nx@example.com,X\n")
    assert job.errors[0]["line"] == 1
    assert (
        "missing: last_name, team, timezone, start_date, role"
        in job.errors[0]["message"]
    )


def test_the_template_csv_is_a_valid_import_once_its_teams_exist(admin_user):
    factories.TeamFactory(name="Aegean")
    factories.TeamFactory(name="Pacific")
    assert run(admin_user, TEMPLATE_CSV).status == "done"


def test_a_thousand_rows_import_in_under_ten_seconds(admin_user, team, capsys):
    content = csv_of(good_rows(1000, team.name))
    started = time.perf_counter()
    job = run(admin_user, content)
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n1,000-row people import: {elapsed:.2f} s")  # noqa: T201 (measured figure)
    assert job.status == "done" and job.imported_count == 1000
    assert User.objects.filter(team=team, role="rep").count() == 1000
    assert elapsed < 10


def test_running_an_import_twice_imports_once(admin_user, team):
    job = run(admin_user, csv_of(good_rows(3, team.name)))
    import_job_run(job=job)
    assert User.objects.filter(team=team).count() == 3


def test_large_files_go_to_a_worker_and_show_progress(
    admin_user, team, client, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    upload = io.BytesIO(csv_of(good_rows(250, team.name)).encode())
    upload.name = "big.csv"
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post("/accounts/people/import/", {"file": upload})
    assert len(queued) >= 1
    job = ImportJob.objects.get()
    # Tests run tasks inline, so the worker's job is done by the time the page loads.
    assert job.status == "done" and job.imported_count == 250
    progress = client.get(response.url, headers={"HX-Request": "true"})
    assert b'data-status="done"' in progress.content
    assert b"hx-trigger" not in progress.content  # polling stops when finished


def test_an_over_long_name_is_a_row_error_not_a_server_error(admin_user, team):
    long_name = "N" * 151
    job = run(
        admin_user,
        csv_of(
            [f"x@example.com,{long_name},B,{team.name},Europe/Athens,2026-12-01,rep"]
        ),
    )
    assert job.errors == [
        {"line": 2, "message": "first_name is longer than 150 characters"}
    ]


def test_an_email_taken_during_the_import_fails_the_job_cleanly(
    admin_user, team, monkeypatch
):
    from accounts import people_import

    def taken_meanwhile(**kwargs):
        factories.RepFactory(email="rep0@example.com")
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(people_import, "people_create_in_bulk", taken_meanwhile)
    job = run(admin_user, csv_of(good_rows(1, team.name)))
    assert job.status == "failed"
    assert "Upload the file again" in job.errors[0]["message"]


def test_a_value_over_the_csv_field_limit_names_its_line(admin_user, team, client):
    # Given a file whose third line holds a value over csv's field size limit
    rows = good_rows(2, team.name)
    rows[1] = rows[1].replace("First1", "F" * 200_000)
    upload = io.BytesIO(csv_of(rows).encode())
    upload.name = "people.csv"

    # When it is uploaded on the page
    client.force_login(admin_user)
    response = client.post("/accounts/people/import/", {"file": upload})

    # Then the job failed with the line named, and nobody was imported
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors[0]["message"].startswith("Line 3 cannot be read")
    assert not User.objects.filter(email__startswith="rep").exists()


def test_an_unclosed_quote_names_the_line_it_opens_on(admin_user, team):
    rows = good_rows(3, team.name)
    rows[1] = rows[1].replace("First1", '"First1')  # line 3, never closed
    job = run(admin_user, csv_of(rows))
    assert job.status == "failed"
    assert job.errors == [
        {
            "line": 1,
            "message": "Line 3 cannot be read: a value is longer than 131072 "
            "characters or a quote is not closed.",
        }
    ]


def test_a_nul_byte_is_refused_with_its_line_beside_the_file(admin_user, team, client):
    # Given a file whose third line holds a NUL character
    rows = good_rows(2, team.name)
    rows[1] = rows[1].replace("First1", "Fir\x00st")
    upload = io.BytesIO(csv_of(rows).encode())
    upload.name = "people.csv"

    # When it is uploaded
    client.force_login(admin_user)
    response = client.post("/accounts/people/import/", {"file": upload})

    # Then the form says which line, and nothing was stored or imported
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Line 3 holds a NUL character, which no value may contain."
    ]
    assert not ImportJob.objects.exists()
    assert not User.objects.filter(email__startswith="rep").exists()


def test_a_nul_byte_reaching_a_row_gets_the_models_own_message(admin_user, team):
    from accounts.people_import import check_row

    row = dict(
        zip(COLUMNS, good_rows(1, team.name)[0].split(","), strict=True),
        first_name="Fir\x00st",
    )
    _person, problems = check_row(
        row,
        taken=set(),
        teams={team.name: team},
        zones={"Europe/Athens"},
        roles={"rep"},
    )
    assert problems == ["first_name: Null characters are not allowed."]


@pytest.mark.parametrize("start_date", ["9999-12-31", "1969-12-31"])
def test_a_start_date_outside_1970_to_2999_is_a_row_error(admin_user, team, start_date):
    rows = [row.replace("2026-12-01", start_date) for row in good_rows(1, team.name)]
    job = run(admin_user, csv_of(rows))
    assert job.errors == [
        {
            "line": 2,
            "message": "start_date: A start date lies between 1970-01-01 and "
            "2999-12-31.",
        }
    ]


def test_a_file_over_the_stated_row_cap_is_refused_at_once(admin_user, team, client):
    from accounts.forms import PeopleImportForm
    from accounts.people_import import MAX_IMPORT_ROWS

    # Given the cap the page states, and a file with one person more
    assert f"Up to {MAX_IMPORT_ROWS:,} people" in str(
        PeopleImportForm.base_fields["file"].help_text
    )
    upload = io.BytesIO(csv_of(good_rows(MAX_IMPORT_ROWS + 1, team.name)).encode())
    upload.name = "big.csv"

    # When it is uploaded
    client.force_login(admin_user)
    client.post("/accounts/people/import/", {"file": upload})

    # Then it fails without a worker, saying why, and nobody is imported
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors[0]["message"] == (
        f"The file has {MAX_IMPORT_ROWS + 1} people; one file may hold up to "
        f"{MAX_IMPORT_ROWS}."
    )
    assert not User.objects.filter(email__startswith="rep").exists()


def test_a_row_names_its_team_exactly_or_is_refused_as_ambiguous(admin_user):
    # Given a team "Alpha" (another manager's) and a row that writes "alpha"
    factories.TeamFactory(name="Alpha")
    job = run(admin_user, csv_of(good_rows(1, "alpha")))

    # Then the row is refused, naming the team's exact spelling; nobody lands there
    assert job.errors == [
        {
            "line": 2,
            "message": "team “alpha” is ambiguous: write the team's name exactly, "
            "“Alpha”",
        }
    ]
    assert not User.objects.filter(email__startswith="rep").exists()
