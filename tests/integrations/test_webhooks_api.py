"""The webhooks' REST API (admins only) and its place in the OpenAPI schema."""

import json

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from integrations.webhooks.payloads import EVENT_TYPES
from integrations.webhooks.schema import example_payload
from integrations.webhooks.subscriptions import subscription_create
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db
URL = "https://93.184.215.14/hooks"
LIST = "/api/v1/webhook-subscriptions/"


def deliveries_of(subscription, count: int, attempts: int = 2):
    for n in range(count):
        event = WebhookEvent.objects.create(
            message_id=f"msg_{subscription.pk}_{n}",
            event="deal.won",
            ids={"deal_id": n},
            payload=example_payload("deal.won"),
            occurred_at=timezone.now(),
            fanned_out_at=timezone.now(),
        )
        delivery = WebhookDelivery.objects.create(
            subscription=subscription, event=event, attempts=attempts
        )
        WebhookAttempt.objects.bulk_create(
            WebhookAttempt(
                delivery=delivery,
                number=number,
                started_at=timezone.now(),
                duration_ms=12,
                succeeded=False,
                status_code=500,
            )
            for number in range(1, attempts + 1)
        )


def test_an_admin_subscribes_and_gets_the_secret_once(admin_user):
    client = api_client_for(admin_user)
    response = client.post(
        LIST,
        {"url": URL, "events": ["deal.won", "activity.logged"], "description": "Chat"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["secret"].startswith("whsec_")
    # The catalogue's order, whatever the request's
    assert body["events"] == ["activity.logged", "deal.won"]
    assert body["is_active"] is True and body["created_by"] == admin_user.pk
    detail = client.get(f"{LIST}{body['id']}/").json()
    assert "secret" not in detail


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"url": "https://10.0.0.8/", "events": ["deal.won"]}, "url", "private"),
        ({"url": "http://93.184.215.14/", "events": ["deal.won"]}, "url", "https"),
        ({"url": URL, "events": ["deal.lost"]}, "events", "not a valid choice"),
        ({"url": URL, "events": []}, "events", ""),
    ],
)
def test_a_bad_subscription_is_a_400_naming_the_field(
    admin_user, payload, field, message
):
    response = api_client_for(admin_user).post(LIST, payload, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])


def test_the_list_takes_a_fixed_number_of_queries(
    admin_user, django_assert_num_queries
):
    for n in range(3):
        subscription_create(by=admin_user, url=f"{URL}/{n}", events=["deal.won"])
    client = api_client_for(admin_user)
    client.get(LIST)  # warm up (content types, sessions)
    # page count + page
    with django_assert_num_queries(2):
        response = client.get(LIST)
    assert response.json()["count"] == 3


def test_the_delivery_log_takes_a_fixed_number_of_queries(
    admin_user, django_assert_num_queries
):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    deliveries_of(subscription, 4)
    client = api_client_for(admin_user)
    url = f"{LIST}{subscription.pk}/deliveries/"
    # the subscription, the count, the page, its attempts
    with django_assert_num_queries(4):
        response = client.get(url)
    body = response.json()
    assert body["count"] == 4
    assert [a["status_code"] for a in body["results"][0]["attempt_log"]] == [500, 500]
    assert body["results"][0]["event"] == "deal.won"


def test_patch_disables_and_changes_events(admin_user):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    response = api_client_for(admin_user).patch(
        f"{LIST}{subscription.pk}/",
        {"is_active": False, "events": ["kudos.given"]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert response.json()["disabled_reason"] == "admin"
    assert response.json()["events"] == ["kudos.given"]


def test_rotation_returns_the_new_secret_and_the_grace_period(admin_user):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    response = api_client_for(admin_user).post(
        f"{LIST}{subscription.pk}/rotate-secret/"
    )
    assert response.status_code == 200
    assert response.json()["secret"] != subscription.secret
    assert response.json()["previous_secret_expires_at"]


def test_a_delivery_shows_its_payload_and_a_replay_is_accepted(admin_user):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    deliveries_of(subscription, 1)
    delivery = WebhookDelivery.objects.get()
    client = api_client_for(admin_user)
    detail = client.get(f"/api/v1/webhook-deliveries/{delivery.pk}/").json()
    assert detail["payload"]["type"] == "deal.won"
    assert detail["message_id"] == delivery.event.message_id
    replay = client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/replay/")
    assert replay.status_code == 202
    assert replay.json()["replay_of"] == delivery.pk


def test_deleting_removes_the_subscription_and_its_log(admin_user):
    subscription = subscription_create(by=admin_user, url=URL, events=["deal.won"])
    deliveries_of(subscription, 1)
    response = api_client_for(admin_user).delete(f"{LIST}{subscription.pk}/")
    assert response.status_code == 204
    assert not WebhookDelivery.objects.exists()


def test_a_manager_is_refused(manager):
    assert api_client_for(manager).get(LIST).status_code == 403


def test_a_huge_id_is_a_404(admin_user):
    response = api_client_for(admin_user).get(f"{LIST}999999999999999999/")
    assert response.status_code == 404


# --- The schema -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


def vendor_extensions(node, path="") -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and key.lower().startswith("x-"):
                found.append(f"{path}/{key}")
            found.extend(vendor_extensions(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(vendor_extensions(value, f"{path}/{index}"))
    return found


def test_the_schema_documents_the_subscription_resources(schema):
    paths = schema["paths"]
    assert set(paths[LIST]) == {"get", "post"}
    assert set(paths[LIST + "{id}/"]) == {"get", "patch", "delete"}
    for action in ("rotate-secret", "test"):
        assert "post" in paths[f"{LIST}{{id}}/{action}/"]
    assert "get" in paths[f"{LIST}{{id}}/deliveries/"]
    assert "get" in paths["/api/v1/webhook-deliveries/{id}/"]
    assert "post" in paths["/api/v1/webhook-deliveries/{id}/replay/"]
    created = paths[LIST]["post"]["responses"]["201"]["content"]["application/json"]
    secret_schema = schema["components"]["schemas"][
        created["schema"]["$ref"].rsplit("/", 1)[1]
    ]
    assert "secret" in secret_schema["properties"]


def test_the_schema_has_an_example_payload_for_every_event_type(schema):
    callbacks = schema["paths"][LIST]["post"]["callbacks"]
    assert set(callbacks) == set(EVENT_TYPES)
    components = schema["components"]["schemas"]
    for event, callback in callbacks.items():
        operation = callback["{$request.body#/url}"]["post"]
        content = operation["requestBody"]["content"]["application/json"]
        (example,) = content["examples"].values()
        assert example["value"]["type"] == event
        envelope = components[content["schema"]["$ref"].rsplit("/", 1)[1]]
        data = components[envelope["properties"]["data"]["$ref"].rsplit("/", 1)[1]]
        # Every documented field is in the example, and nothing else
        assert set(example["value"]["data"]) == set(data["properties"]), event
        assert "webhook-signature" in operation["description"]


def test_the_schema_has_no_vendor_extension(schema):
    assert vendor_extensions(schema) == []
