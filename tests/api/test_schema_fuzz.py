"""Schemathesis over the whole OpenAPI schema: no input makes the server fail (5xx).

It covers every operation in the schema, so it grows with the API by itself.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from salesteam.wsgi import application
from tests import factories

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def admin_token(db):
    """An admin sees every endpoint's full behaviour; the data grows within one test."""
    admin = factories.AdminFactory()
    token, _ = Token.objects.get_or_create(user=admin)
    return token.key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case, admin_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {admin_token}"}, checks=[not_a_server_error]
    )
