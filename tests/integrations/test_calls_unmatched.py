"""Unmatched calls: kept, listed for admins (page and API), assigned once or dismissed;
the Dialers pages, each in a fixed number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from activities.models import Activity
from integrations.calls.services import inbound_call_assign, inbound_call_dismiss
from integrations.models import CallSource, InboundCall, InboundCallStatus
from tests import factories
from tests.helpers import api_client_for
from tests.integrations.calls_helpers import twilio_params, twilio_post, twilio_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(admin_user, standard_metrics):
    return twilio_source(admin_user)


def unmatched(source, count=1) -> list[InboundCall]:
    for n in range(count):
        twilio_post(Client(), source, twilio_params(From=f"+4420794600{n:02d}"))
    return list(InboundCall.objects.order_by("pk"))


def admin_client(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_assigning_logs_the_call_once_for_the_rep(source, rep, admin_user):
    (call,) = unmatched(source)
    # When an admin assigns it
    inbound_call_assign(call=call, rep=rep, by=admin_user)
    call.refresh_from_db()
    activity = Activity.objects.get()
    assert (call.status, call.rep, call.activity) == ("logged", rep, activity)
    assert (activity.rep, activity.outcome, activity.created_by) == (
        rep,
        "connected",
        admin_user,
    )
    # Then a second assignment (or a dismissal) is refused
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        inbound_call_assign(call=call, rep=rep, by=admin_user)
    with pytest.raises(ValidationError):
        inbound_call_dismiss(call=call, by=admin_user)
    assert Activity.objects.count() == 1


def test_dismissing_keeps_the_call_without_an_activity(source, admin_user):
    (call,) = unmatched(source)
    inbound_call_dismiss(call=call, by=admin_user)
    call.refresh_from_db()
    assert (call.status, call.resolved_by) == ("dismissed", admin_user)
    assert not Activity.objects.exists()


def test_only_admins_assign(source, rep, manager):
    from django.core.exceptions import PermissionDenied

    (call,) = unmatched(source)
    with pytest.raises(PermissionDenied):
        inbound_call_assign(call=call, rep=rep, by=manager)


def test_the_unmatched_page_assigns_and_dismisses(source, rep, admin_user):
    first, second = unmatched(source, 2)
    client = admin_client(admin_user)
    page = client.get(reverse("integrations:unmatched_calls"))
    assert page.status_code == 200
    assert first.rep_phone in page.content.decode()
    answer = client.post(
        reverse("integrations:unmatched_call_assign", args=[first.pk]), {"rep": rep.pk}
    )
    assert answer.status_code == 302
    client.post(reverse("integrations:unmatched_call_dismiss", args=[second.pk]))
    statuses = dict(InboundCall.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "logged", second.pk: "dismissed"}
    page = client.get(reverse("integrations:unmatched_calls"))
    assert "Nothing waits to be assigned" in page.content.decode()


def test_assigning_without_a_person_says_so_and_writes_nothing(source, admin_user):
    (call,) = unmatched(source)
    client = admin_client(admin_user)
    answer = client.post(
        reverse("integrations:unmatched_call_assign", args=[call.pk]),
        {"rep": ""},
        follow=True,
    )
    assert "Choose the person" in answer.content.decode()
    call.refresh_from_db()
    assert call.status == InboundCallStatus.UNMATCHED


def test_the_api_lists_and_assigns_unmatched_calls(source, rep, admin_user):
    first, second = unmatched(source, 2)
    api = api_client_for(admin_user)
    listed = api.get("/api/v1/inbound-calls/?status=unmatched").json()
    assert [row["id"] for row in listed["results"]] == [second.pk, first.pk]
    answer = api.post(
        f"/api/v1/inbound-calls/{first.pk}/assign/", {"rep": rep.pk}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["status"] == "logged"
    again = api.post(
        f"/api/v1/inbound-calls/{first.pk}/assign/", {"rep": rep.pk}, format="json"
    )
    assert again.status_code == 400
    assert api.post(f"/api/v1/inbound-calls/{second.pk}/dismiss/").json()["status"] == (
        "dismissed"
    )
    assert api.get("/api/v1/inbound-calls/?status=nope").status_code == 400
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("count", [1, 6])
def test_the_api_list_is_a_fixed_number_of_queries(
    source, admin_user, count, django_assert_num_queries
):
    unmatched(source, count)
    api = api_client_for(admin_user)
    with django_assert_num_queries(2):
        assert api.get("/api/v1/inbound-calls/").status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_the_pages_are_a_fixed_number_of_queries(
    source, admin_user, rep, count, django_assert_num_queries
):
    unmatched(source, count)
    client = admin_client(admin_user)
    with django_assert_num_queries(7):
        assert client.get(reverse("integrations:dialers")).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(reverse("integrations:unmatched_calls")).status_code == 200
    with django_assert_num_queries(4):
        answer = client.get(reverse("integrations:dialer_source", args=[source.pk]))
        assert answer.status_code == 200


def test_the_dialers_page_shows_each_sources_address(source, admin_user):
    page = (
        admin_client(admin_user).get(reverse("integrations:dialers")).content.decode()
    )
    assert f"http://testserver/api/v1/inbound/twilio/{source.key}/" in page


def test_connecting_a_generic_dialer_makes_its_secret(admin_user):
    client = admin_client(admin_user)
    answer = client.post(
        reverse("integrations:dialers"), {"name": "n8n", "kind": "standard"}
    )
    created = CallSource.objects.get(name="n8n")
    assert answer.status_code == 302
    assert created.secret.startswith("whsec_")
    page = client.get(reverse("integrations:dialer_source", args=[created.pk]))
    assert created.secret in page.content.decode()


def test_a_bad_secret_is_named_beside_the_field(admin_user):
    answer = admin_client(admin_user).post(
        reverse("integrations:dialers"),
        {"name": "Zap", "kind": "standard", "secret": "whsec_short"},
    )
    assert answer.status_code == 200
    assert "24 to 64 bytes" in answer.content.decode()
    assert not CallSource.objects.exists()


def test_renewing_the_secret_and_switching_off(admin_user):
    client = admin_client(admin_user)
    client.post(reverse("integrations:dialers"), {"name": "Zap", "kind": "standard"})
    source = CallSource.objects.get()
    old = source.secret
    client.post(
        reverse("integrations:dialer_source", args=[source.pk]),
        {"name": "Zapier", "new_secret": "on"},
    )
    source.refresh_from_db()
    assert (source.name, source.is_active) == ("Zapier", False)
    assert source.secret != old and source.secret.startswith("whsec_")


def test_reps_and_managers_may_not_see_the_dialers(rep, manager):
    for person in (rep, manager):
        client = Client()
        client.force_login(person)
        assert client.get(reverse("integrations:dialers")).status_code == 403
        assert api_client_for(person).get("/api/v1/inbound-calls/").status_code == 403


def test_a_rep_cannot_be_assigned_once_inactive(source, admin_user, team):
    from django.core.exceptions import ValidationError

    leaver = factories.RepFactory(team=team, is_active=False)
    (call,) = unmatched(source)
    with pytest.raises(ValidationError):
        inbound_call_assign(call=call, rep=leaver, by=admin_user)
