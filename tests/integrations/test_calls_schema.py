"""The API schema documents the inbound endpoints: public, signed, and what they answer."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def paths():
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


def test_the_twilio_callback_is_public_form_encoded_and_needs_its_signature(paths):
    operation = paths["/api/v1/inbound/twilio/{key}/"]["post"]
    assert "security" not in operation  # no login: the signature is the proof
    assert list(operation["requestBody"]["content"]) == [
        "application/x-www-form-urlencoded"
    ]
    header = next(p for p in operation["parameters"] if p["in"] == "header")
    assert (header["name"], header["required"]) == ("X-Twilio-Signature", True)
    assert "sorted by name" in operation["description"]
    assert {"200", "400", "403", "404", "429", "503"} <= set(operation["responses"])


def test_the_generic_endpoint_names_the_standard_webhooks_headers(paths):
    operation = paths["/api/v1/inbound/calls/{key}/"]["post"]
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert headers == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert "HMAC-SHA256" in operation["description"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("StandardCallEventRequest")
    assert {"200", "400", "403", "404", "422", "503"} <= set(operation["responses"])
