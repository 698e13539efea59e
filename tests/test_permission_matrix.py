"""Every URL has a row in the permission matrix, and every row holds for every viewer."""

import importlib
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories, permission_matrix
from tests.permission_matrix import VIEWERS, Row

# Django's admin is one row ("admin:index"); its other URLs are Django's own, tested there.
SKIPPED_NAMESPACES = {"admin"}


def all_rows() -> list[Row]:
    rows = []
    for module_info in pkgutil.iter_modules(permission_matrix.__path__):
        module = importlib.import_module(f"tests.permission_matrix.{module_info.name}")
        rows.extend(module.ROWS)
    return rows


def url_names(resolver=None, namespace: str = "") -> list[str]:
    """Every named URL pattern of the project, with its namespace."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            )
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            names.extend(url_names(pattern, inner))
        elif isinstance(pattern, URLPattern):
            names.append(
                f"{namespace}{pattern.name}"
                if pattern.name
                else f"<unnamed: {pattern.pattern}>"
            )
    return names


ROWS = all_rows()


def test_every_url_pattern_has_a_row():
    covered = {row.name for row in ROWS}
    patterns = set(url_names()) | {"admin:index"}
    assert sorted(patterns - covered) == [], (
        "URL patterns without a permission matrix row"
    )
    assert sorted(covered - patterns) == [], (
        "Matrix rows for URL names that do not exist"
    )


def test_url_names_are_unique():
    """Two patterns with one name make `reverse` pick one silently (e.g. page vs API)."""
    names = url_names()
    assert sorted({name for name in names if names.count(name) > 1}) == []


def test_every_row_names_every_viewer():
    for row in ROWS:
        assert set(row.expect) == set(VIEWERS), row.name


@pytest.fixture
def world(db):
    """Two teams (A and B), each with a manager and a rep, plus an admin.

    Team A's manager is a member of the team led by "manager_above".
    """
    manager_above = factories.ManagerFactory()
    team_above = factories.TeamFactory(manager=manager_above)
    manager = factories.ManagerFactory(team=team_above)
    team = factories.TeamFactory(manager=manager)
    manager_other = factories.ManagerFactory()
    team_other = factories.TeamFactory(manager=manager_other)
    people = {
        "manager": manager,
        "rep": factories.RepFactory(team=team),
        "manager_other": manager_other,
        "rep_other": factories.RepFactory(team=team_other),
        "manager_above": manager_above,
        "admin": factories.AdminFactory(),
    }
    return {
        "team": team,
        "team_other": team_other,
        "team_above": team_above,
        **people,
    }


def send(client: Client, row: Row, url: str, data: dict):
    if row.method == "get":
        return client.get(url, data)
    method = getattr(client, row.method)
    if url.startswith("/api/"):
        return method(url, data, content_type="application/json")
    return method(url, data)


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_row_holds_for_every_viewer(row: Row, world):
    url = reverse(row.name, kwargs=row.kwargs(world)) + (row.query or "")
    for viewer in VIEWERS:
        client = Client()
        if viewer != "anonymous":
            client.force_login(world[viewer])
        response = send(client, row, url, row.data(world) if row.data else {})
        expected = row.expect[viewer]
        allowed = expected if isinstance(expected, tuple) else (expected,)
        assert response.status_code in allowed, (
            f"{row.method.upper()} {url} as {viewer}: {response.status_code}, "
            f"expected {expected}"
        )
