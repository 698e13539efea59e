"""Fixtures of the integrations' tests: a real webhook receiver on 127.0.0.1."""

import pytest

from integrations.webhooks import listening
from tests.integrations.webhook_receiver import receiver_start


@pytest.fixture
def receiver(settings):
    """A receiver on 127.0.0.1 that the settings allow (http, loopback)."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    state, server = receiver_start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def listening_for_real():
    """The subscriber reads the subscriptions (other tests assume no listener)."""
    listening.forget()
    yield
    listening.assume_none()
