"""The outside-in suite: a live server on PostgreSQL, driven over HTTP as an integrator.

Nothing here calls the app in-process: every request goes over a socket to
`live_server`, with a token each role got from the API itself, so what these tests see
is what a dialer, a script or an attacker sees. They need PostgreSQL (they skip loudly
without it, and fail with REQUIRE_SERVICES=1).
"""

import re
from dataclasses import dataclass, field

import pytest
import requests

from tests import factories

PASSWORD = "outside-password-1"


@dataclass
class Caller:
    """One role's HTTP client: the live server's address and, once logged in, a token."""

    base_url: str
    token: str | None = None

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if self.token:
            headers.setdefault("Authorization", f"Token {self.token}")
        return requests.request(
            method, self.base_url + path, headers=headers, timeout=30, **kwargs
        )

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


def log_in(base_url: str, user) -> Caller:
    """A token for `user`, asked for over HTTP as an integrator would."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    caller = Caller(base_url)
    response = caller.post(
        "/api/v1/auth/token/", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    caller.token = response.json()["token"]
    return caller


@pytest.fixture
def org(require_postgres, live_server, transactional_db):
    """Two teams, a manager who sits in the other manager's team, admins, a superuser."""
    factories.standard_template()
    team_a = factories.TeamFactory(name="Alpha")
    team_b = factories.TeamFactory(name="Bravo")
    # Bravo's manager is a member of Alpha: Alpha's manager sees them, not their reps.
    team_b.manager.team = team_a
    team_b.manager.save(update_fields=["team"])
    return {
        "url": live_server.url,
        "team_a": team_a,
        "team_b": team_b,
        "manager_a": team_a.manager,
        "manager_b": team_b.manager,
        "rep_a": factories.RepFactory(team=team_a, timezone="Europe/Athens"),
        "rep_b": factories.RepFactory(team=team_b, timezone="America/New_York"),
        "admin": factories.UserFactory(role="admin"),
        "superuser": factories.AdminFactory(),
    }


@pytest.fixture
def as_role(org):
    """`as_role("rep_a")`: that person's HTTP client, logged in through the API."""
    callers: dict[str, Caller] = {}

    def caller(name: str) -> Caller:
        if name not in callers:
            callers[name] = log_in(org["url"], org[name])
        return callers[name]

    return caller


@pytest.fixture
def anonymous(org) -> Caller:
    return Caller(org["url"])


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Browserless:
    """The HTML pages over HTTP without a browser: a session that fills in forms."""

    base_url: str
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=30, **kwargs)

    def submit(self, path: str, data: dict, **kwargs) -> requests.Response:
        """GET the form at `path`, then POST `data` to it with its CSRF token."""
        form = self.get(path)
        token = CSRF_INPUT.search(form.text)
        assert token, f"No form with a CSRF token at {path} ({form.status_code})"
        return self.session.post(
            form.url,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            timeout=30,
            **kwargs,
        )

    def log_in(self, user) -> None:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        response = self.submit(
            "/accounts/login/", {"username": user.email, "password": PASSWORD}
        )
        assert "sessionid" in self.session.cookies, response.text[:500]


@pytest.fixture
def pages(org) -> Browserless:
    return Browserless(org["url"])
