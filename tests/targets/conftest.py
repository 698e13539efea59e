import pytest

from tests import factories


@pytest.fixture(autouse=True)
def _seeded_metrics(db):
    """The data migration's metrics and template (a transactional test may flush them)."""
    factories.standard_template()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Factories set a password on every person; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
