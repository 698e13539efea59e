"""The calendar feed through the API: /me/ shows it; it is turned on, rotated, revoked."""

import pytest

from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db
FEED = "/api/v1/calendar-feed/"


def feed_url_in_me(client) -> str | None:
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    return response.json()["ical_feed_url"]


def test_me_has_no_feed_url_while_the_feed_is_off(rep):
    assert feed_url_in_me(api_client_for(rep)) is None


def test_turning_the_feed_on_is_idempotent_and_me_shows_its_url(client, rep):
    api = api_client_for(rep)

    # When the rep turns the feed on, twice
    first = api.put(FEED)
    again = api.put(FEED)

    # Then the first call makes the address and the second keeps it
    assert first.status_code == 201
    assert again.status_code == 200
    url = first.json()["url"]
    assert again.json()["url"] == url
    assert url.startswith("http://testserver/meetings/feed/")
    assert feed_url_in_me(api) == url
    # And the address serves the calendar without logging in
    assert client.get(url).status_code == 200


def test_rotating_gives_a_new_url_and_ends_the_old_one(client, rep):
    api = api_client_for(rep)
    old = api.put(FEED).json()["url"]

    response = api.post(FEED)

    assert response.status_code == 201
    new = response.json()["url"]
    assert new != old
    assert feed_url_in_me(api) == new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_revoking_switches_the_feed_off(client, rep):
    api = api_client_for(rep)
    url = api.put(FEED).json()["url"]

    assert api.delete(FEED).status_code == 204

    assert api.get(FEED).json() == {"url": None}
    assert feed_url_in_me(api) is None
    assert client.get(url).status_code == 404


def test_the_feed_endpoints_are_in_the_schema(admin_user):
    schema = api_client_for(admin_user).get("/api/schema/?format=json").json()
    operations = schema["paths"]["/api/v1/calendar-feed/"]
    assert set(operations) >= {"get", "put", "post", "delete"}
    me = schema["components"]["schemas"]["Me"]["properties"]
    assert me["ical_feed_url"]["nullable"] is True
