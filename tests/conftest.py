"""Shared fixtures: people, API clients, real services and a real browser.

Tests that need PostgreSQL, Redis or Chromium skip with a visible reason when those are
absent, and fail instead when REQUIRE_SERVICES=1 / REQUIRE_BROWSER=1 (as in CI). Helper
functions that tests import live in `tests/helpers.py`, never here.
"""

import os

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from salesteam.celery import app as celery_app
from tests import factories
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, missing, uses_postgres

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told that this (single-threaded) use is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Tests run Celery tasks inline unless a test starts a real worker itself.
celery_app.conf.task_always_eager = True
settings.CELERY_TASK_ALWAYS_EAGER = True
# Hashing passwords at production strength would dominate the suite's run time.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Tests of these folders always start from the standard metrics and template.
SEEDED_FOLDERS = {"activities", "targets"}


@pytest.fixture
def standard_metrics(db):
    """The data migration's metrics and template (a transactional test may flush them)."""
    return factories.standard_template()


@pytest.fixture(autouse=True)
def _standard_metrics_in_seeded_folders(request):
    if request.node.path.parent.name in SEEDED_FOLDERS:
        request.getfixturevalue("standard_metrics")


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
def _language_reset():
    """Each test starts and ends in the default language: a request activates the
    person's language in the thread and nothing switches it back."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _broker_presumed_up(monkeypatch):
    """Each test starts with the broker presumed up (see core.queueing)."""
    from core import queueing

    monkeypatch.setattr(queueing, "_broker_down_until", 0.0)


@pytest.fixture(autouse=True)
def _webhooks_quiet_and_local(monkeypatch):
    """No webhook listener is assumed (a lookup would add a query to others' counts),
    and no test's webhook ever connects beyond the loopback."""
    import ipaddress

    from integrations.webhooks import listening, sending

    listening.assume_none()
    real_open_socket = sending.open_socket

    def loopback_only(address, port, timeout):
        if not ipaddress.ip_address(address).is_loopback:
            raise ConnectionRefusedError(
                f"tests connect to the loopback only: {address}"
            )
        return real_open_socket(address, port, timeout)

    monkeypatch.setattr(sending, "open_socket", loopback_only)
    yield
    listening.assume_none()


@pytest.fixture(autouse=True)
def _write_path_caches_cleared():
    """Each test starts with no cached metrics and no dip check batched (per process)."""
    from activities.metric_cache import metric_cache_clear
    from core.queueing import batches_clear

    metric_cache_clear()
    batches_clear()


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


# --- Browser --------------------------------------------------------------------------


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


# Reported by the page itself, in case the browser does not log a violation it blocks.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const element = (event.target.outerHTML || "").slice(0, 200);
  console.error(
    `Content Security Policy violation: ${event.violatedDirective} on ` +
    `${location.pathname}, ${event.blockedURI || "inline"} ${element}`
  );
});
"""


@pytest.fixture
def page(browser, live_server):
    """A page on the live server; the test fails on any CSP violation it caused."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    csp_violations = []

    def keep_csp_violation(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            csp_violations.append(message.text)

    page.on("console", keep_csp_violation)
    yield page
    context.close()
    assert not csp_violations, "CSP violations in the console:\n" + "\n".join(
        csp_violations
    )
