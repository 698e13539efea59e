"""Authentication over HTTP: throttling, the token's lifecycle, what anonymous callers see."""

import re

import pytest

from tests.outside.conftest import PASSWORD

pytestmark = pytest.mark.services


def test_guessing_passwords_at_the_token_endpoint_meets_a_429(anonymous, org):
    statuses = []
    for attempt in range(40):
        response = anonymous.post(
            "/api/v1/auth/token/",
            json={"email": org["rep_a"].email, "password": f"guess-{attempt}"},
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            break

    assert statuses[-1] == 429, statuses
    assert int(response.headers["Retry-After"]) > 0
    assert set(statuses[:-1]) <= {400, 401, 403}


def test_a_revoked_token_stops_working(as_role):
    rep = as_role("rep_a")
    assert rep.get("/api/v1/me/").status_code == 200

    assert rep.delete("/api/v1/auth/token/").status_code == 204

    assert rep.get("/api/v1/me/").status_code == 401


def test_a_password_reset_revokes_the_persons_tokens(as_role, org, pages, mailoutbox):
    # Given a rep's working token
    rep = as_role("rep_a")
    assert rep.get("/api/v1/me/").status_code == 200

    # When they reset their password through the emailed link
    pages.submit("/accounts/password/reset/", {"email": org["rep_a"].email})
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    path = "/" + link.group(0).split("/", 3)[3]
    done = pages.submit(
        path,
        {"new_password1": PASSWORD + "-new", "new_password2": PASSWORD + "-new"},
    )
    assert done.status_code == 200 and "complete" in done.url, done.url

    # Then the old token no longer works
    assert rep.get("/api/v1/me/").status_code == 401


def test_an_anonymous_caller_learns_only_up_or_down(anonymous, as_role):
    health = anonymous.get("/healthz")
    staff_health = as_role("admin").get("/healthz")

    assert health.status_code in (200, 503)
    assert set(health.json()) == {"status"}
    assert set(staff_health.json()) > {"status"}


def test_the_api_schema_and_docs_need_a_login_in_production(anonymous, as_role):
    assert anonymous.get("/api/schema/").status_code in (401, 403)
    assert anonymous.get("/api/docs/", allow_redirects=False).status_code in (
        302,
        401,
        403,
    )
    assert as_role("rep_a").get("/api/schema/").status_code == 200
