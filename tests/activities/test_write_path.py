"""The write path (issue 18, point 1): what logging an activity costs and keeps.

- its query count, over the API with a real token, with and without an Idempotency-Key;
- history: none on insert (the row is the record), the first version plus the change on
  an edit, the first version plus the deletion on a delete;
- the per-process metric cache and its invalidation;
- the dip check batched per rep per minute instead of one task per activity;
- the domain events it announces.
"""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.tokens import token_issue
from activities import metric_cache
from activities.models import Activity, DayTally, Metric
from activities.services import (
    activity_delete,
    activity_log,
    activity_update,
    deal_log,
    metric_create,
    metric_for_logging,
    metric_update,
)
from core import events, queueing
from targets.tasks import dip_flags_refresh_task
from tests.helpers import uses_postgres

CALL = {"metric": "calls", "quantity": 1}


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + token_issue(user=user))
    return client


# --- Query counts ---------------------------------------------------------------------


def test_an_activity_post_costs_two_queries_and_five_with_a_key(
    rep, django_assert_num_queries
):
    client = token_client(rep)
    assert client.post("/api/v1/activities/", CALL, format="json").status_code == 201
    # The token with its user; the activity with its tally upsert (one statement on
    # PostgreSQL, so in production no BEGIN and COMMIT either; on SQLite two). Before:
    # also the person's other tokens, the metric, the history row, the tally's UPDATE
    # (and on a day's first write a savepoint and an INSERT), in a transaction.
    with django_assert_num_queries(2 if uses_postgres() else 3):
        response = client.post("/api/v1/activities/", CALL, format="json")
    assert response.status_code == 201
    # With a key: a savepoint (the test's transaction is open; in production BEGIN)
    # and its release, the write, the response stored (INSERT … ON CONFLICT DO
    # NOTHING). Before: a SELECT of the key, then the write in a savepoint of its own,
    # then the INSERT.
    with django_assert_num_queries(5 if uses_postgres() else 6):
        response = client.post(
            "/api/v1/activities/", CALL, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
    assert response.status_code == 201
    # A replay: the write, found taken and rolled back, then the stored response.
    with django_assert_num_queries(7 if uses_postgres() else 8):
        replay = client.post(
            "/api/v1/activities/", CALL, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
    assert replay.json() == response.json()
    assert replay["Idempotent-Replayed"] == "true"
    # A retry whose write would now be refused still gets the first response
    with mock.patch(
        "activities.services.activities.quantity_errors",
        return_value=["refused now"],
    ):
        again = client.post(
            "/api/v1/activities/", CALL, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
        )
    assert (again.status_code, again.json()) == (201, response.json())
    assert Activity.objects.filter(rep=rep).count() == 3
    assert DayTally.objects.get(rep=rep, metric__slug="calls").quantity == 3


def test_the_quick_log_post_writes_in_constant_queries(
    client, rep, django_assert_num_queries
):
    client.force_login(rep)
    client.post("/activities/log/", {"metric": "calls"}, HTTP_HX_REQUEST="true")
    # Session, user; the activity and its tally (one statement on PostgreSQL). The
    # feedback snippet needs no navigation (before: its unread count as well, the
    # metric, the history row, the tally's UPDATE).
    with django_assert_num_queries(3 if uses_postgres() else 4):
        response = client.post(
            "/activities/log/", {"metric": "calls"}, HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    assert "activityChanged" in response["HX-Trigger"]
    assert Activity.objects.filter(rep=rep).count() == 2


# --- Token authentication -------------------------------------------------------------


def test_a_token_authenticates_in_one_query_and_an_expired_one_is_refused(
    rep, django_assert_num_queries
):
    client = token_client(rep)
    # The token and its user (before: and the person's other tokens); nothing to mark
    with django_assert_num_queries(2):
        assert client.post("/api/v1/notifications/mark-read/").status_code == 200
    AuthToken.objects.filter(user=rep).update(
        expiry=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.post("/api/v1/notifications/mark-read/").status_code == 401
    assert not AuthToken.objects.filter(user=rep).exists()  # deleted when presented


def test_issuing_a_token_deletes_the_persons_expired_ones_only(rep, manager):
    token_issue(user=rep)
    token_issue(user=manager)
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    token_issue(user=rep)
    assert AuthToken.objects.filter(user=rep).count() == 1  # the new one
    assert AuthToken.objects.filter(user=manager).count() == 1  # not theirs to sweep


# --- History --------------------------------------------------------------------------


def test_logging_writes_no_history_and_an_edit_keeps_the_first_version(rep, manager):
    call = activity_log(rep=rep, metric="calls", quantity=2, by=rep)
    assert not call.history.exists()

    activity_update(activity=call, quantity=3, by=manager)
    first, change = call.history.order_by("history_id")
    assert (first.history_type, first.quantity, first.history_user) == ("+", 2, rep)
    assert first.history_date == call.created_at
    assert (change.history_type, change.quantity, change.history_user) == (
        "~",
        3,
        manager,
    )

    activity_update(activity=call, note="Follow up", by=rep)
    assert list(call.history.order_by("history_id").values_list("history_type")) == [
        ("+",),
        ("~",),
        ("~",),
    ]


def test_a_delete_keeps_the_first_version_and_the_deletion(rep):
    call = activity_log(rep=rep, metric="calls", note="Wrong button", by=rep)
    pk = call.pk
    activity_delete(activity=call, by=rep)
    rows = Activity.history.filter(id=pk).order_by("history_id")
    assert [(row.history_type, row.note, row.history_user) for row in rows] == [
        ("+", "Wrong button", rep),
        ("-", "Wrong button", rep),
    ]


# --- The metric cache -----------------------------------------------------------------


def test_a_loaded_metric_costs_no_query(db, django_assert_num_queries):
    metric_for_logging("calls")
    with django_assert_num_queries(0):
        assert metric_for_logging("calls").slug == "calls"


def test_a_metric_changed_in_this_process_is_seen_at_once(rep, admin_user):
    metric_for_logging("calls")  # cached
    metric_update(metric=Metric.objects.get(slug="calls"), is_active=False, by=None)
    with pytest.raises(ValidationError, match="retired"):
        activity_log(rep=rep, metric="calls", by=rep)
    metric_create(slug="demos", name="Demos", by=admin_user)
    assert activity_log(rep=rep, metric="demos", by=rep).metric.slug == "demos"


def test_a_change_made_elsewhere_is_seen_when_the_copy_expires(rep, settings):
    settings.METRIC_CACHE_SECONDS = 60
    metric_for_logging("calls")
    # Another process retires it (no signal reaches this one)
    Metric.objects.filter(slug="calls").update(is_active=False)
    assert metric_for_logging("calls").is_active  # still the copy
    later = metric_cache._loaded_at + 61
    with (
        mock.patch.object(metric_cache.time, "monotonic", return_value=later),
        pytest.raises(ValidationError, match="retired"),
    ):
        metric_for_logging("calls")


def test_a_metric_whose_transaction_rolled_back_is_not_served(db):
    metric_for_logging("calls")

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        metric_create(slug="ghost", name="Ghost")
        assert metric_for_logging("ghost").slug == "ghost"  # read, not cached
        raise Undo
    with pytest.raises(ValidationError, match="no metric"):
        metric_for_logging("ghost")


# --- The dip check, batched -----------------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    """The dip checks sent to the broker: (args, kwargs, options)."""
    calls = []

    def apply_async(args=(), kwargs=None, **options):
        calls.append((args, kwargs, options))

    monkeypatch.setattr(dip_flags_refresh_task, "apply_async", apply_async)
    return calls


def test_a_reps_logs_in_one_minute_queue_one_check_after_the_minute(
    rep, team, sent, django_capture_on_commit_callbacks
):
    other = type(rep).objects.create(email="other@example.com", team=team)
    with django_capture_on_commit_callbacks(execute=True):
        for _call in range(5):
            activity_log(rep=rep, metric="calls", by=rep)
        activity_log(rep=other, metric="calls")
    assert [(args, options) for args, _kwargs, options in sent] == [
        ((rep.pk,), {"countdown": 61.0}),
        ((other.pk,), {"countdown": 61.0}),
    ]
    at = dt.datetime.fromisoformat(sent[0][1]["at"])
    assert abs(at - timezone.now()) < dt.timedelta(minutes=1)


def test_the_next_minute_queues_the_next_check(
    rep, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(rep=rep, metric="calls", by=rep)
    later = queueing.time.monotonic() + 61
    with (
        mock.patch.object(queueing.time, "monotonic", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        activity_log(rep=rep, metric="calls", by=rep)
        activity_log(rep=rep, metric="calls", by=rep)
    assert len(sent) == 2


def test_a_check_that_could_not_be_queued_is_tried_again_on_the_next_log(
    rep, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def broker_down(args=(), kwargs=None, **options):
        attempts.append(args)
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(dip_flags_refresh_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(rep=rep, metric="calls", by=rep)
    monkeypatch.setattr(queueing, "_broker_down_until", 0.0)  # the pause is over
    with django_capture_on_commit_callbacks(execute=True):
        activity_log(rep=rep, metric="calls", by=rep)
    assert len(attempts) == 2  # the failure did not hold the minute's slot
    assert Activity.objects.filter(rep=rep).count() == 2  # and lost no log


def test_a_window_of_zero_queues_one_check_per_activity(
    rep, settings, sent, django_capture_on_commit_callbacks
):
    settings.DIP_CHECK_BATCH_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        for _call in range(3):
            activity_log(rep=rep, metric="calls", by=rep)
    assert len(sent) == 3
    assert all(options == {} for _args, _kwargs, options in sent)


# --- Events ---------------------------------------------------------------------------


def test_logging_announces_activity_logged_and_a_deal_deal_won(
    rep, monkeypatch, django_capture_on_commit_callbacks
):
    heard = []
    monkeypatch.setattr(events, "_subscribers", [])
    events.subscribe(lambda event, ids: heard.append((event, ids)))
    with django_capture_on_commit_callbacks(execute=True):
        call = activity_log(rep=rep, metric="calls", by=rep)
        deal = deal_log(rep=rep, title="Acme", amount=Decimal("1200.00"), by=rep)
    assert heard == [
        ("activity.logged", {"activity_id": call.pk}),
        ("deal.won", {"deal_id": deal.pk}),
    ]


def test_a_write_that_fails_announces_nothing(
    rep, monkeypatch, django_capture_on_commit_callbacks
):
    heard = []
    monkeypatch.setattr(events, "_subscribers", [])
    events.subscribe(lambda event, ids: heard.append(event))
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        activity_log(rep=rep, metric="calls", quantity=0, by=rep)
    assert heard == []
