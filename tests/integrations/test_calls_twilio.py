"""Twilio's status callback: signed exactly as Twilio signs (its RequestValidator), a
call logged once per CallSid on the rep's local day, anything tampered a 403."""

import datetime as dt
import email.utils

import pytest
from django.test import Client
from django.utils import timezone

from activities.models import Activity, DayTally, Source
from integrations.models import InboundCall, InboundCallStatus
from tests import factories
from tests.integrations.calls_helpers import (
    AUTH_TOKEN,
    CUSTOMER,
    REP_NUMBER,
    twilio_params,
    twilio_path,
    twilio_post,
    twilio_signature,
    twilio_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(admin_user, standard_metrics):
    return twilio_source(admin_user)


@pytest.fixture
def caller(team):
    return factories.RepFactory(team=team, phone=REP_NUMBER, timezone="Europe/Athens")


def nothing_written():
    return not InboundCall.objects.exists() and not Activity.objects.exists()


def test_a_completed_outbound_call_is_logged_once_for_the_rep_whose_number_is_from(
    source, caller
):
    # Given a rep whose phone is the call's From
    params = twilio_params(CallDuration="95")
    # When Twilio posts the status callback, then retries it twice
    answers = [twilio_post(Client(), source, params) for _ in range(3)]
    # Then one call is logged, as connected, from the dialer
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert answers[0].json()["status"] == "logged"
    assert [answer.json()["duplicate"] for answer in answers] == [False, True, True]
    activity = Activity.objects.get()
    assert (activity.rep, activity.metric.slug) == (caller, "calls")
    assert (activity.outcome, activity.source) == ("connected", Source.DIALER)
    assert activity.note == CUSTOMER
    assert DayTally.objects.get(rep=caller).quantity == 1
    call = InboundCall.objects.get()
    assert (call.status, call.activity, call.external_id) == (
        InboundCallStatus.LOGGED,
        activity,
        params["CallSid"],
    )


def test_an_inbound_call_is_the_rep_whose_number_is_to(source, caller):
    params = twilio_params(Direction="inbound", From=CUSTOMER, To=REP_NUMBER)
    assert twilio_post(Client(), source, params).json()["status"] == "logged"
    assert Activity.objects.get().rep == caller


@pytest.mark.parametrize(
    ("status", "duration", "outcome"),
    [
        ("completed", "30", "connected"),
        ("completed", "29", "voicemail"),
        ("no-answer", "0", "no_answer"),
        ("busy", None, "no_answer"),
        ("failed", "0", "no_answer"),
        ("canceled", "0", "no_answer"),
    ],
)
def test_the_outcome_comes_from_status_and_duration(
    source, caller, settings, status, duration, outcome
):
    settings.CALL_CONNECTED_SECONDS = 30
    params = twilio_params(CallStatus=status, CallDuration=duration)
    assert twilio_post(Client(), source, params).status_code == 200
    assert Activity.objects.get().outcome == outcome


def test_a_call_still_ringing_writes_nothing(source, caller):
    answer = twilio_post(Client(), source, twilio_params(CallStatus="ringing"))
    assert (answer.status_code, answer.json()["status"]) == (200, "ignored")
    assert nothing_written()


@pytest.mark.parametrize(
    "tamper",
    ["param", "added_param", "url", "token", "missing", "garbage"],
)
def test_a_signature_that_does_not_validate_is_403_and_writes_nothing(
    source, caller, tamper
):
    params = twilio_params()
    path = twilio_path(source)
    signature = twilio_signature(f"http://testserver{path}", params)
    body = dict(params)
    if tamper == "param":
        body["CallDuration"] = "9999"
    elif tamper == "added_param":
        body["Extra"] = "1"
    elif tamper == "url":
        signature = twilio_signature(f"https://testserver{path}", params)
    elif tamper == "token":
        signature = twilio_signature(f"http://testserver{path}", params, "f" * 32)
    elif tamper == "missing":
        signature = ""
    else:
        signature = "not base64 at all"
    from urllib.parse import urlencode

    answer = Client().post(
        path,
        urlencode(body),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert answer.status_code == 403
    assert "signature" in answer.json()["detail"]
    assert nothing_written()


def test_behind_a_tls_proxy_the_https_url_is_the_one_signed(source, caller, settings):
    # Given Django trusts the proxy's X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER)
    params = twilio_params()
    url = f"https://testserver{twilio_path(source)}"
    answer = twilio_post(
        Client(), source, params, signed_url=url, HTTP_X_FORWARDED_PROTO="https"
    )
    assert answer.status_code == 200
    # And without the header the same signature does not hold
    assert twilio_post(Client(), source, params, signed_url=url).status_code == 403


def test_a_configured_public_base_url_is_the_one_signed(source, caller, settings):
    settings.INBOUND_PUBLIC_BASE_URL = "https://sales.example.com/"
    params = twilio_params()
    url = f"https://sales.example.com{twilio_path(source)}"
    assert twilio_post(Client(), source, params, signed_url=url).status_code == 200
    assert twilio_post(Client(), source, twilio_params()).status_code == 403


def test_the_query_string_is_part_of_the_signed_url(source, caller):
    params = twilio_params()
    path = twilio_path(source) + "?team=alpha"
    signature = twilio_signature(f"http://testserver{path}", params)
    from urllib.parse import urlencode

    answer = Client().post(
        path,
        urlencode(params),
        content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )
    assert answer.status_code == 200


def test_an_unknown_or_switched_off_address_is_404_and_one_without_token_503(
    source, caller, admin_user
):
    from integrations.calls.services import call_source_update

    other = twilio_source(admin_user, name="Twilio EU", secret="")
    answer = twilio_post(Client(), other, twilio_params())
    assert answer.status_code == 503
    assert "secret" in answer.json()["detail"]
    call_source_update(source=source, by=admin_user, is_active=False)
    assert twilio_post(Client(), source, twilio_params()).status_code == 404
    answer = Client().post("/api/v1/inbound/twilio/nope/", {"CallSid": "x"})
    assert answer.status_code == 404
    assert nothing_written()


def test_an_unknown_number_is_kept_unmatched_not_dropped(source, caller):
    params = twilio_params(From="+4420 7946 0000")
    answer = twilio_post(Client(), source, params)
    assert answer.json()["status"] == "unmatched"
    call = InboundCall.objects.get()
    assert (call.status, call.rep_phone, call.rep) == (
        "unmatched",
        "+442079460000",
        None,
    )
    assert not Activity.objects.exists()


def test_an_inactive_persons_number_is_unmatched(source, caller):
    caller.is_active = False
    caller.save()
    assert twilio_post(Client(), source, twilio_params()).json()["status"] == (
        "unmatched"
    )


def test_a_call_the_rules_refuse_is_kept_unmatched_with_the_reason(source, caller):
    # Given the calls metric was retired
    calls = factories.metric("calls")
    calls.is_active = False
    calls.save()
    answer = twilio_post(Client(), source, twilio_params())
    assert answer.json()["status"] == "unmatched"
    assert "retired" in InboundCall.objects.get().problem
    assert not Activity.objects.exists()


def test_bad_fields_with_a_good_signature_are_400_per_field(source, caller):
    params = twilio_params(CallDuration="-3", CallSid=None)
    answer = twilio_post(Client(), source, params)
    assert answer.status_code == 400
    assert set(answer.json()) == {"CallSid", "CallDuration"}
    assert nothing_written()


@pytest.mark.parametrize(
    ("zone", "day_shift"), [("Pacific/Kiritimati", 14), ("Pacific/Honolulu", -10)]
)
def test_the_call_lands_on_the_reps_local_day(source, team, zone, day_shift):
    # Given a rep far east or far west of UTC, and a call that ended an hour ago
    rep = factories.RepFactory(team=team, phone=REP_NUMBER, timezone=zone)
    ended = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    params = twilio_params(
        CallDuration="120", Timestamp=email.utils.format_datetime(ended)
    )
    twilio_post(Client(), source, params)
    # Then it began two minutes before, on that day in the rep's zone
    activity = Activity.objects.get(rep=rep)
    started = ended - dt.timedelta(seconds=120)
    assert activity.occurred_at == started
    assert activity.local_date == (started + dt.timedelta(hours=day_shift)).date()


def test_kiritimati_and_honolulu_calls_at_one_instant_are_a_day_apart(source, team):
    east = factories.RepFactory(
        team=team, phone="+68675000001", timezone="Pacific/Kiritimati"
    )
    west = factories.RepFactory(
        team=team, phone="+18085550001", timezone="Pacific/Honolulu"
    )
    ended = email.utils.format_datetime(timezone.now() - dt.timedelta(minutes=5))
    for rep in (east, west):
        twilio_post(Client(), source, twilio_params(From=rep.phone, Timestamp=ended))
    east_day = Activity.objects.get(rep=east).local_date
    west_day = Activity.objects.get(rep=west).local_date
    assert east_day - west_day == dt.timedelta(days=1)


def test_a_timestamp_ahead_of_our_clock_is_not_in_the_future(source, caller):
    ahead = email.utils.format_datetime(timezone.now() + dt.timedelta(minutes=2))
    params = twilio_params(CallDuration="0", Timestamp=ahead)
    assert twilio_post(Client(), source, params).json()["status"] == "logged"
    assert Activity.objects.get().occurred_at <= timezone.now()


def test_the_auth_token_is_stored_encrypted(source):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM integrations_callsource")
        (stored,) = cursor.fetchone()
    assert AUTH_TOKEN not in stored
    assert source.__class__.objects.get().secret == AUTH_TOKEN


def test_a_callback_is_a_fixed_number_of_queries(
    source, caller, django_assert_num_queries
):
    params = twilio_params()
    client = Client()
    with django_assert_num_queries(12):
        twilio_post(client, source, params)
    with django_assert_num_queries(8):
        twilio_post(client, source, params)
