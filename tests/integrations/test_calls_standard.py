"""The generic endpoint: Standard Webhooks signatures (the package's own `sign`), once
per external_id, 400 per field, 422 for an external_id reused with other content."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from activities.models import Activity, Source
from integrations.models import InboundCall
from tests import factories
from tests.integrations.calls_helpers import (
    REP_NUMBER,
    standard_path,
    standard_post,
    standard_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(admin_user, standard_metrics):
    return standard_source(admin_user)


@pytest.fixture
def caller(team):
    return factories.RepFactory(
        team=team, phone=REP_NUMBER, timezone="Pacific/Honolulu"
    )


def event(caller, **overrides) -> dict:
    at = timezone.now() - dt.timedelta(hours=2)
    return {
        "rep_email": caller.email,
        "occurred_at": at.isoformat(),
        "metric": "calls",
        "outcome": "connected",
        "external_id": "dialer-call-1",
    } | overrides


def test_a_signed_event_is_logged_once_per_external_id(source, caller):
    payload = event(caller)
    answers = [standard_post(Client(), source, payload) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.json()["duplicate"] for answer in answers] == [False, True, True]
    assert [answer.get("Idempotent-Replayed") for answer in answers] == [
        None,
        "true",
        "true",
    ]
    activity = Activity.objects.get()
    assert (activity.rep, activity.outcome, activity.source) == (
        caller,
        "connected",
        Source.DIALER,
    )
    assert (
        activity.local_date
        == (
            dt.datetime.fromisoformat(payload["occurred_at"]) - dt.timedelta(hours=10)
        ).date()
    )


def test_the_rep_may_be_named_by_phone_in_any_spelling(source, caller):
    payload = event(caller, rep_email="", rep_phone="+30 (210) 123-4567")
    assert standard_post(Client(), source, payload).json()["status"] == "logged"
    assert Activity.objects.get().rep == caller


def test_another_metric_without_outcome(source, caller):
    payload = event(caller, metric="thank_you_notes", outcome="")
    factories.metric("thank_you_notes")
    answer = standard_post(Client(), source, payload)
    assert answer.json()["status"] == "logged", answer.content
    assert Activity.objects.get().metric.slug == "thank_you_notes"


def test_the_same_external_id_with_other_content_is_422(source, caller):
    standard_post(Client(), source, event(caller))
    answer = standard_post(Client(), source, event(caller, outcome="voicemail"))
    assert answer.status_code == 422
    assert "external_id" in answer.json()
    assert Activity.objects.get().outcome == "connected"


@pytest.mark.parametrize("tamper", ["secret", "body", "old", "missing", "garbage"])
def test_a_bad_signature_is_403_and_writes_nothing(source, caller, tamper):
    payload = event(caller)
    body = json.dumps(payload)
    kwargs = {}
    if tamper == "secret":
        kwargs["secret"] = "whsec_" + "A" * 43 + "="
    elif tamper == "old":
        kwargs["at"] = timezone.now() - dt.timedelta(minutes=6)
    if tamper in ("secret", "old"):
        answer = standard_post(Client(), source, payload, **kwargs)
    else:
        headers = {
            "webhook-id": "msg_1",
            "webhook-timestamp": str(int(timezone.now().timestamp())),
            "webhook-signature": "v1,bm90IGl0" if tamper == "garbage" else "",
        }
        if tamper == "body":
            from tests.integrations.calls_helpers import standard_headers

            headers = standard_headers(source.secret, body)
            body = json.dumps(payload | {"outcome": "voicemail"})
        answer = Client().post(
            standard_path(source),
            body,
            content_type="application/json",
            headers=headers,
        )
    assert answer.status_code == 403
    assert not InboundCall.objects.exists()
    assert not Activity.objects.exists()


def test_bad_fields_are_400_each_named(source, caller):
    payload = {
        "rep_email": "not-an-email",
        "occurred_at": "2026-03-02T09:00:00",
        "metric": "no_such_metric",
        "outcome": "maybe",
    }
    answer = standard_post(Client(), source, payload)
    assert answer.status_code == 400
    errors = answer.json()
    assert set(errors) == {
        "rep_email",
        "occurred_at",
        "metric",
        "outcome",
        "external_id",
    }
    assert "UTC offset" in errors["occurred_at"][0]
    assert not InboundCall.objects.exists()


def test_no_rep_named_and_a_bad_phone_are_400(source, caller):
    answer = standard_post(Client(), source, event(caller, rep_email=""))
    assert answer.status_code == 400 and "rep_email" in answer.json()
    answer = standard_post(Client(), source, event(caller, rep_phone="555"))
    assert answer.status_code == 400 and "rep_phone" in answer.json()


def test_a_time_in_the_future_is_refused_and_nothing_written(source, caller):
    later = (timezone.now() + dt.timedelta(hours=1)).isoformat()
    answer = standard_post(Client(), source, event(caller, occurred_at=later))
    assert answer.status_code == 400
    assert "future" in answer.json()["occurred_at"][0]
    assert not InboundCall.objects.exists()


def test_an_unknown_email_is_kept_unmatched(source, caller):
    payload = event(caller, rep_email="someone@elsewhere.example")
    assert standard_post(Client(), source, payload).json()["status"] == "unmatched"
    assert InboundCall.objects.get().rep_email == "someone@elsewhere.example"
    assert not Activity.objects.exists()


def test_a_twilio_address_takes_no_standard_event(admin_user, caller, standard_metrics):
    from tests.integrations.calls_helpers import twilio_source

    twilio = twilio_source(admin_user)
    answer = standard_post(Client(), twilio, event(caller), secret="whsec_" + "A" * 44)
    assert answer.status_code == 404


def test_the_endpoint_is_throttled_per_address(source, caller, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "inbound": "2/minute"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [
            standard_post(
                Client(), source, event(caller, external_id=str(n))
            ).status_code
            for n in range(3)
        ]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert codes == [200, 200, 429]


def test_an_event_is_a_fixed_number_of_queries(
    source, caller, django_assert_num_queries
):
    with django_assert_num_queries(10):
        standard_post(Client(), source, event(caller))
