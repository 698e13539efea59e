"""Schemathesis over the whole OpenAPI schema, as each role: no input breaks the API.

Every operation is called as a rep, a manager and an admin, with data that fits the schema
(so requests get past validation into the services) and data that does not. Each answer
is checked: no server error, a documented status, a body that fits the documented schema
and the documented content type. A stateful run follows the links schemathesis infers
between operations (an id a POST returns is read, changed and deleted), so deeper
operations get real ids. CI runs a small budget; `bench/fuzz.py` runs the same tests with
`FUZZ_EXAMPLES=200` and more stateful steps.
"""

import json
import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from salesteam.wsgi import application
from tests import factories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
STATEFUL_EXAMPLES = int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "6"))
STATEFUL_STEPS = int(os.environ.get("FUZZ_STATEFUL_STEPS", "6"))
PASSWORD = "fuzz-password-1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
FUZZ_SETTINGS = settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def load_schema():
    """The schema as the app generates it (the served one needs a login in production)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(document))
    )
    loaded.app = application
    loaded.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    )
    return loaded


schema = load_schema()


@contextmanager
def connection_kept():
    """Like Django's test client: requests must not close the test's open transaction.

    Entered after the tokens are fetched: the test client reconnects the handlers when
    its own request ends.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    """Throttling and lockouts have their own tests; here they would only hide depth."""
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    settings.AXES_ENABLED = False
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES") or {}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(rates, "100000/minute"),
    }
    # DRF's throttles read their rates once, at import.
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    yield
    SimpleRateThrottle.THROTTLE_RATES = original


def token_for(user) -> str:
    """A token through the API itself, as an integrator gets one."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    response = APIClient().post(
        "/api/v1/auth/token/",
        {"email": user.email, "password": PASSWORD},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


@pytest.fixture
def world(db):
    """Two teams with their managers and reps, some history, and an in-app admin."""
    factories.standard_template()
    team_a = factories.TeamFactory()
    team_b = factories.TeamFactory()
    rep = factories.RepFactory(team=team_a)
    factories.RepFactory(team=team_a)
    other_rep = factories.RepFactory(team=team_b)
    for person in (rep, other_rep):
        factories.ActivityFactory(rep=person)
        factories.ContactFactory(owner=person)
    admin = factories.UserFactory(role="admin")
    return {"rep": rep, "manager": team_a.manager, "admin": admin}


@pytest.fixture(params=["rep", "manager", "admin"])
def role_headers(request, world, unthrottled):
    headers = {"Authorization": f"Token {token_for(world[request.param])}"}
    with connection_kept():
        yield headers


@pytest.mark.django_db
@schema.parametrize()
@settings(FUZZ_SETTINGS, max_examples=EXAMPLES)
def test_no_operation_fails_for_any_role(case, role_headers):
    case.call_and_validate(headers=role_headers, checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["rep", "manager", "admin"])
def test_linked_operations_hold_for_each_role(role, world, unthrottled):
    headers = {"Authorization": f"Token {token_for(world[role])}"}

    class LinkedCalls(schema.as_state_machine()):
        # Each scenario starts from the same data (a savepoint rolled back after it), so
        # Hypothesis replays a scenario exactly when it shrinks or checks a failure.
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    with connection_kept():
        run_state_machine_as_test(
            LinkedCalls,
            settings=settings(
                FUZZ_SETTINGS,
                max_examples=STATEFUL_EXAMPLES,
                stateful_step_count=STATEFUL_STEPS,
            ),
        )
