import pytest

from tests.integrations.calendars.radicale import RadicaleServer


@pytest.fixture(scope="module")
def radicale(tmp_path_factory):
    """One Radicale for a module's tests (each test takes a fresh calendar)."""
    server = RadicaleServer(tmp_path_factory.mktemp("radicale"))
    server.start()
    yield server
    server.kill()


@pytest.fixture
def own_radicale(tmp_path):
    """A Radicale of the test's own, for the test that kills it."""
    server = RadicaleServer(tmp_path)
    server.start()
    yield server
    server.kill()
