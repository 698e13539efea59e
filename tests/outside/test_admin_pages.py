"""The admin's pages over HTTP: imports that never 500, history nobody can delete, a
spreadsheet-safe export."""

import csv
import io

import pytest

from accounts.models import User

pytestmark = pytest.mark.services
HEADER = "email,first_name,last_name,team,timezone,start_date,role"


def upload(pages, text: str):
    return pages.submit(
        "/accounts/people/import/",
        {},
        files={"file": ("people.csv", text.encode(), "text/csv")},
    )


def test_an_unterminated_quote_is_named_by_its_line_and_imports_nobody(pages, org):
    pages.log_in(org["admin"])
    people = "\n".join(
        [
            HEADER,
            "one@example.com,One,Rep,Alpha,Europe/Athens,2026-12-01,rep",
            'two@example.com,"Two,Rep,Alpha,Europe/Athens,2026-12-01,rep',
        ]
    )

    response = upload(pages, people)

    assert response.status_code == 200
    assert "line 3" in response.text.lower()
    assert not User.objects.filter(email__in=["one@example.com", "two@example.com"])


def test_a_team_named_in_another_case_is_refused_not_joined(pages, org):
    pages.log_in(org["admin"])

    response = upload(
        pages,
        HEADER + "\nthree@example.com,Three,Rep,alpha,Europe/Athens,2026-12-01,rep",
    )

    assert response.status_code == 200
    assert "line 2" in response.text.lower()
    assert not User.objects.filter(email="three@example.com").exists()


def test_the_django_admin_offers_no_delete_for_people_or_teams(pages, org):
    pages.log_in(org["superuser"])

    person = pages.get(f"/admin/accounts/user/{org['rep_a'].pk}/delete/")
    team = pages.get(f"/admin/accounts/team/{org['team_a'].pk}/delete/")

    assert person.status_code == team.status_code == 403
    assert User.objects.filter(pk=org["rep_a"].pk).exists()


def test_the_dashboard_export_neutralises_a_formula_in_a_metric_name(
    pages, org, as_role
):
    # Given an admin's metric whose name is a spreadsheet formula
    made = as_role("admin").post(
        "/api/v1/metrics/",
        json={"slug": "sneaky", "name": '=HYPERLINK("http://x.invalid","y")'},
    )
    assert made.status_code == 201, made.text
    agreed = as_role("manager_a").post(
        "/api/v1/targets/",
        json={
            "user": org["rep_a"].pk,
            "metric": "sneaky",
            "period": "day",
            "amount": "5",
            "effective_from": org["rep_a"].local_date().isoformat(),
        },
    )
    assert agreed.status_code == 201, agreed.text

    # When the manager downloads the dashboard
    pages.log_in(org["manager_a"])
    export = pages.get("/targets/dashboard/export.csv")

    # Then no header cell starts a formula
    assert export.status_code == 200
    header = next(csv.reader(io.StringIO(export.text)))
    assert not [cell for cell in header if cell[:1] in ("=", "+", "-", "@")]
    assert any("HYPERLINK" in cell for cell in header)
