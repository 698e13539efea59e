"""The person's calendar page: connect (tested against a real Radicale), state, sync,
disconnect; exact query counts."""

import datetime as dt

import pytest
from django.db import connection as db
from django.urls import reverse
from django.utils import timezone

from integrations.calendars.connections import calendar_connect
from integrations.models import CalendarConnection, ConnectionStatus
from tests.integrations.calendars.radicale import USERS

pytestmark = pytest.mark.django_db
PAGE = "/integrations/calendar/"


def form(server, calendar_url="", **changes):
    return {
        "server_url": server.url,
        "username": "eleni",
        "password": USERS["eleni"],
        "calendar_url": calendar_url,
        "action": "save",
    } | changes


def test_the_page_invites_a_person_without_a_calendar(
    client, rep, django_assert_num_queries
):
    client.force_login(rep)
    # Session and user; the connection; notifications in the navigation bar.
    with django_assert_num_queries(4):
        response = client.get(reverse("integrations:calendar"))
    assert response.status_code == 200
    assert 'data-testid="calendar-empty"' in response.content.decode()


def test_the_page_shows_a_broken_connection_and_when_it_is_tried_again(
    client, rep, django_assert_num_queries
):
    retry = timezone.now() + dt.timedelta(minutes=4)
    CalendarConnection.objects.create(
        person=rep,
        server_url="https://caldav.example.com/",
        username="eleni",
        password="secret",
        calendar_url="https://caldav.example.com/eleni/work/",
        calendar_name="Work",
        status=ConnectionStatus.FAILING,
        last_error="The server refused the user name or password.",
        next_attempt_at=retry,
    )
    client.force_login(rep)
    # Session and user; the connection; events written; notifications.
    with django_assert_num_queries(5):
        html = client.get(PAGE).content.decode()
    assert 'data-testid="calendar-error"' in html
    assert "refused the user name or password" in html
    assert "Not reachable" in html


def test_testing_the_connection_lists_the_calendars_and_keeps_what_was_typed(
    client, rep, radicale
):
    calendar_url = radicale.new_calendar()
    client.force_login(rep)

    response = client.post(PAGE, form(radicale, action="test"))

    html = response.content.decode()
    assert 'data-testid="calendar-tested"' in html
    assert f'value="{calendar_url}"' in html
    assert f'value="{USERS["eleni"]}"' in html  # the password is not lost
    assert not CalendarConnection.objects.exists()


def test_a_wrong_password_is_explained_and_nothing_is_stored(client, rep, radicale):
    client.force_login(rep)
    for action in ("test", "save"):
        response = client.post(PAGE, form(radicale, password="nope", action=action))
        assert response.status_code == 200
        assert "app password" in response.content.decode()
    assert not CalendarConnection.objects.exists()


def test_testing_an_unreachable_address_says_so_and_keeps_what_was_typed(client, rep):
    client.force_login(rep)
    unreachable = {
        "server_url": "http://127.0.0.1:9/",
        "username": "eleni",
        "password": "secret",
        "calendar_url": "",
    }
    for action in ("test", "save"):
        response = client.post(PAGE, unreachable | {"action": action})
        html = response.content.decode()
        assert response.status_code == 200
        assert "could not be reached" in html, action
        assert 'value="http://127.0.0.1:9/"' in html and 'value="eleni"' in html
    assert not CalendarConnection.objects.exists()


def test_saving_connects_stores_the_password_encrypted_and_syncs(
    client, rep, radicale, django_capture_on_commit_callbacks
):
    calendar_url = radicale.new_calendar()
    client.force_login(rep)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE, form(radicale, calendar_url))

    assert response.status_code == 302
    connection = CalendarConnection.objects.get(person=rep)
    assert connection.calendar_url == calendar_url
    assert connection.password == USERS["eleni"]
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT password FROM integrations_calendarconnection WHERE id = %s",
            [connection.pk],
        )
        (stored,) = cursor.fetchone()
    assert USERS["eleni"] not in stored
    assert connection.status == ConnectionStatus.OK  # the first sync ran


def test_changing_the_connection_keeps_the_stored_password_when_left_empty(
    client, rep, radicale
):
    calendar_url = radicale.new_calendar()
    calendar_connect(
        person=rep,
        server_url=radicale.url,
        username="eleni",
        password=USERS["eleni"],
        calendar_url=calendar_url,
    )
    client.force_login(rep)
    other = radicale.new_calendar()

    response = client.post(PAGE, form(radicale, other, password=""))

    assert response.status_code == 302
    assert CalendarConnection.objects.get(person=rep).calendar_url == other


def test_bad_input_is_shown_again_with_its_errors(client, rep):
    client.force_login(rep)
    response = client.post(
        PAGE, {"server_url": "ftp:// nope", "username": "", "action": "save"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"server_url", "username"}
    assert not CalendarConnection.objects.exists()


def test_sync_now_and_disconnect(
    client, rep, radicale, django_capture_on_commit_callbacks
):
    calendar_url = radicale.new_calendar()
    calendar_connect(
        person=rep,
        server_url=radicale.url,
        username="eleni",
        password=USERS["eleni"],
        calendar_url=calendar_url,
    )
    client.force_login(rep)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("integrations:calendar_sync")).status_code == 302
    assert CalendarConnection.objects.get(person=rep).last_synced_at is not None

    assert client.post(reverse("integrations:calendar_disconnect")).status_code == 302
    assert not CalendarConnection.objects.filter(person=rep).exists()
    # Without a calendar, "sync now" says what to do
    response = client.post(reverse("integrations:calendar_sync"), follow=True)
    assert "Connect a calendar first" in response.content.decode()
