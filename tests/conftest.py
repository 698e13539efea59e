"""Shared fixtures: people, API clients, real services and a real browser.

Tests that need PostgreSQL, Redis or Chromium skip with a visible reason when those are
absent, and fail instead when REQUIRE_SERVICES=1 / REQUIRE_BROWSER=1 (as in CI).
"""

import os

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from salesteam.celery import app as celery_app
from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told that this (single-threaded) use is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Tests run Celery tasks inline unless a test starts a real worker itself.
celery_app.conf.task_always_eager = True
settings.CELERY_TASK_ALWAYS_EAGER = True
# Hashing passwords at production strength would dominate the suite's run time.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


def missing(reason: str, *, required_by: str) -> None:
    """Skip loudly, or fail when the environment demands the missing thing."""
    if flag(required_by):
        pytest.fail(f"{reason} ({required_by}=1 demands it)", pytrace=False)
    pytest.skip(reason)


def uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.fixture
def require_postgres():
    if not uses_postgres():
        missing(
            "PostgreSQL is not configured (set DATABASE_URL)",
            required_by="REQUIRE_SERVICES",
        )


@pytest.fixture
def require_redis():
    url = settings.REDIS_URL
    if not url:
        missing(
            "Redis is not configured (set REDIS_URL)", required_by="REQUIRE_SERVICES"
        )
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        missing(
            f"Redis at {url} does not answer: {error}", required_by="REQUIRE_SERVICES"
        )
    return url


@pytest.fixture(autouse=True)
def _email_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()


# --- People ---------------------------------------------------------------------------


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory()


@pytest.fixture
def manager(db):
    return factories.ManagerFactory()


@pytest.fixture
def team(manager):
    return factories.TeamFactory(manager=manager)


@pytest.fixture
def rep(team):
    return factories.RepFactory(team=team)


@pytest.fixture
def api_client():
    return APIClient()


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- Browser --------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        missing(
            f"Chromium is not installed at {CHROMIUM}", required_by="REQUIRE_BROWSER"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
