"""activities/api.py: metrics, activities, deals, contacts; scoping and idempotency."""

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import Activity, DayTally, Deal, IdempotentRequest, Metric
from activities.services import activity_log
from tests import factories
from tests.helpers import api_client_for


@pytest.fixture
def rep_api(rep):
    return api_client_for(rep)


def test_a_rep_logs_a_call_and_gets_its_local_date(rep_api, rep):
    occurred_at = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=1)
    response = rep_api.post(
        "/api/v1/activities/",
        {
            "metric": "calls",
            "quantity": 2,
            "outcome": "connected",
            "occurred_at": occurred_at.isoformat(),
            "note": "Intro",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["local_date"] == rep.local_date(occurred_at).isoformat()
    assert (body["user"], body["metric"], body["quantity"], body["source"]) == (
        rep.pk,
        "calls",
        2,
        "api",
    )
    assert DayTally.objects.get(rep=rep).quantity == 2


def test_the_same_idempotency_key_twice_logs_once_and_answers_the_same(rep_api, rep):
    # Given a dialer that retries a POST with the same key
    payload = {"metric": "calls", "outcome": "voicemail"}
    first = rep_api.post(
        "/api/v1/activities/", payload, HTTP_IDEMPOTENCY_KEY="call-7f3a"
    )
    second = rep_api.post(
        "/api/v1/activities/", payload, HTTP_IDEMPOTENCY_KEY="call-7f3a"
    )
    # Then there is one activity, one count, and the same response twice
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Activity.objects.count() == 1
    assert DayTally.objects.get(rep=rep).quantity == 1
    # And a new key logs a new call
    rep_api.post("/api/v1/activities/", payload, HTTP_IDEMPOTENCY_KEY="call-7f3b")
    assert Activity.objects.count() == 2


def test_idempotency_keys_belong_to_one_user_and_one_endpoint(rep_api, team):
    other = api_client_for(factories.RepFactory(team=team))
    rep_api.post("/api/v1/activities/", {"metric": "calls"}, HTTP_IDEMPOTENCY_KEY="k1")
    other.post("/api/v1/activities/", {"metric": "calls"}, HTTP_IDEMPOTENCY_KEY="k1")
    assert Activity.objects.count() == 2
    response = rep_api.post(
        "/api/v1/deals/",
        {"title": "Acme", "amount": "10.00"},
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert response.status_code == 400
    assert response.json() == {
        "idempotency_key": [
            "This Idempotency-Key was already used for another endpoint."
        ]
    }
    assert not Deal.objects.exists()


def test_a_refused_post_is_not_remembered_for_its_key(rep_api):
    bad = rep_api.post(
        "/api/v1/activities/",
        {"metric": "calls", "quantity": 0},
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert bad.status_code == 400
    assert bad.json() == {"quantity": ["The quantity must be between 1 and 500."]}
    assert not IdempotentRequest.objects.exists()
    good = rep_api.post(
        "/api/v1/activities/", {"metric": "calls"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    assert good.status_code == 201


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"metric": "calls", "quantity": 501},
            {"quantity": ["The quantity must be between 1 and 500."]},
        ),
        (
            {"metric": "calls", "quantity": -1},
            {"quantity": ["The quantity must be between 1 and 500."]},
        ),
        (
            {"metric": "calls", "occurred_at": "2999-01-01T00:00:00Z"},
            {
                "occurred_at": [
                    "This time is in the future; log only what has already happened."
                ]
            },
        ),
        ({"metric": "nope"}, {"metric": ['There is no metric "nope".']}),
        ({"metric": "deals"}, {"metric": ["Deals is a result; log a deal instead."]}),
    ],
)
def test_bad_activity_posts_are_400_with_field_messages(rep_api, payload, errors):
    response = rep_api.post("/api/v1/activities/", payload)
    assert response.status_code == 400
    assert response.json() == errors
    assert not Activity.objects.exists() and not DayTally.objects.exists()


def test_back_dating_beyond_the_limit_is_refused(rep_api):
    old = timezone.now() - dt.timedelta(days=9)
    response = rep_api.post(
        "/api/v1/activities/", {"metric": "calls", "occurred_at": old.isoformat()}
    )
    assert response.status_code == 400
    assert response.json()["occurred_at"][0].startswith("You can log up to 7 days back")


def test_reps_log_only_for_themselves(rep_api, team):
    teammate = factories.RepFactory(team=team)
    response = rep_api.post(
        "/api/v1/activities/", {"metric": "calls", "user": teammate.pk}
    )
    assert response.status_code == 400
    assert response.json() == {
        "user": ["You may only write for yourself or your team."]
    }
    assert not Activity.objects.exists()


def test_managers_list_their_teams_entries_by_user_and_never_see_others(
    manager, rep, team
):
    teammate = factories.RepFactory(team=team)
    stranger = factories.RepFactory()
    for person in (rep, teammate, stranger):
        activity_log(rep=person, metric="calls")
    client = api_client_for(manager)
    everyone = client.get("/api/v1/activities/").json()
    assert everyone["count"] == 2
    mine = client.get(f"/api/v1/activities/?user={rep.pk}").json()
    assert [row["user"] for row in mine["results"]] == [rep.pk]
    assert client.get(f"/api/v1/activities/?user={stranger.pk}").json()["count"] == 0
    foreign = Activity.objects.get(rep=stranger)
    assert client.get(f"/api/v1/activities/{foreign.pk}/").status_code == 404


def test_a_manager_corrects_and_deletes_a_team_entry(manager, rep):
    activity = activity_log(rep=rep, metric="calls")
    client = api_client_for(manager)
    response = client.patch(f"/api/v1/activities/{activity.pk}/", {"quantity": 4})
    assert response.status_code == 200 and response.json()["quantity"] == 4
    assert DayTally.objects.get(rep=rep).quantity == 4
    assert client.delete(f"/api/v1/activities/{activity.pk}/").status_code == 204
    assert DayTally.objects.get(rep=rep).quantity == 0


def test_activities_list_query_count_does_not_grow(
    rep_api, rep, django_assert_num_queries
):
    for _ in range(3):
        activity_log(rep=rep, metric="calls")
    # user (token-less force_authenticate: none), count, page
    with django_assert_num_queries(2):
        small = rep_api.get("/api/v1/activities/")
    for _ in range(20):
        activity_log(rep=rep, metric="emails")
    with django_assert_num_queries(2):
        large = rep_api.get("/api/v1/activities/")
    assert (small.json()["count"], large.json()["count"]) == (3, 23)


def test_deals_post_with_an_idempotency_key_counts_revenue_once(rep_api, rep):
    payload = {"title": "Acme renewal", "amount": "4200.00"}
    first = rep_api.post("/api/v1/deals/", payload, HTTP_IDEMPOTENCY_KEY="deal-1")
    second = rep_api.post("/api/v1/deals/", payload, HTTP_IDEMPOTENCY_KEY="deal-1")
    assert first.status_code == 201 and first.json() == second.json()
    assert first.json()["currency"] == "EUR"
    revenue = DayTally.objects.get(rep=rep, metric__slug="revenue")
    assert (revenue.quantity, str(revenue.amount)) == (1, "4200.00")


def test_a_deal_with_no_amount_is_refused(rep_api):
    response = rep_api.post("/api/v1/deals/", {"title": "Acme", "amount": "0"})
    assert response.status_code == 400
    assert response.json() == {
        "amount": ["The amount must be more than zero (in EUR)."]
    }
    assert not Deal.objects.exists()


def test_contacts_are_scoped_to_their_owner_and_the_team_manager(rep_api, rep, manager):
    created = rep_api.post(
        "/api/v1/contacts/",
        {"name": "Dora Diaz", "company": "Acme", "email": "d@a.com"},
    )
    assert created.status_code == 201 and created.json()["owner"] == rep.pk
    contact_id = created.json()["id"]
    assert (
        api_client_for(manager).get(f"/api/v1/contacts/{contact_id}/").status_code
        == 200
    )
    stranger = api_client_for(factories.RepFactory())
    assert stranger.get(f"/api/v1/contacts/{contact_id}/").status_code == 404
    logged = rep_api.post(
        "/api/v1/activities/", {"metric": "calls", "contact": contact_id}
    )
    assert logged.json()["contact"] == contact_id


def test_admins_add_and_retire_metrics_and_reps_cannot(rep_api, admin_user):
    admin = api_client_for(admin_user)
    created = admin.post("/api/v1/metrics/", {"slug": "demos", "name": "Demos"})
    assert created.status_code == 201
    assert created.json()["kind"] == "activity"
    assert (
        rep_api.post("/api/v1/metrics/", {"slug": "x", "name": "X"}).status_code == 403
    )
    retired = admin.patch("/api/v1/metrics/demos/", {"is_active": False})
    assert retired.json()["is_active"] is False
    assert Metric.objects.filter(slug="demos", is_active=False).exists()
    slugs = [m["slug"] for m in rep_api.get("/api/v1/metrics/").json()["results"]]
    assert slugs[:6] == [
        "calls",
        "appointments",
        "thank_you_notes",
        "emails",
        "deals",
        "revenue",
    ]


# --- Idempotency-Key: another body, expiry (issue 13, point 7) ----------------------


def test_an_idempotency_key_reused_with_another_body_is_a_422_and_writes_nothing(
    rep_api,
):
    # Given a call logged with key "k"
    first = rep_api.post(
        "/api/v1/activities/",
        {"metric": "calls", "quantity": 1},
        HTTP_IDEMPOTENCY_KEY="k",
    )
    assert first.status_code == 201
    # When the same key comes with a different body
    second = rep_api.post(
        "/api/v1/activities/",
        {"metric": "calls", "quantity": 3},
        HTTP_IDEMPOTENCY_KEY="k",
    )
    # Then it is refused with a message saying why, and the second write is not lost
    # silently behind a replayed 201: nothing else was written
    assert second.status_code == 422
    assert second.json() == {
        "idempotency_key": [
            "This Idempotency-Key was already used with a different request body. "
            "Use a new key for a new request."
        ]
    }
    assert Activity.objects.get().quantity == 1


def test_the_same_key_with_the_same_body_in_another_key_order_still_replays(rep_api):
    # Given a deal posted with a key
    body = {"title": "Acme", "amount": "10.00", "note": "first"}
    first = rep_api.post("/api/v1/deals/", body, HTTP_IDEMPOTENCY_KEY="d1")
    # When the retry sends the same fields in another order
    retry = rep_api.post(
        "/api/v1/deals/", dict(reversed(body.items())), HTTP_IDEMPOTENCY_KEY="d1"
    )
    # Then it is a replay of the first response
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    assert Deal.objects.count() == 1


def test_a_key_past_its_24_hours_is_swept_and_may_be_used_afresh(rep_api, rep):
    from activities.idempotency import idempotency_keys_sweep

    # Given a key used 25 hours ago and one used an hour ago
    rep_api.post("/api/v1/activities/", {"metric": "calls"}, HTTP_IDEMPOTENCY_KEY="old")
    rep_api.post("/api/v1/activities/", {"metric": "calls"}, HTTP_IDEMPOTENCY_KEY="new")
    now = timezone.now()
    IdempotentRequest.objects.filter(key="old").update(
        created_at=now - dt.timedelta(hours=25)
    )
    IdempotentRequest.objects.filter(key="new").update(
        created_at=now - dt.timedelta(hours=1)
    )
    # When the periodic sweep runs
    assert idempotency_keys_sweep(now=now) == 1
    # Then only the expired key is gone, and using it again is a new write
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    again = rep_api.post(
        "/api/v1/activities/",
        {"metric": "calls", "quantity": 2},
        HTTP_IDEMPOTENCY_KEY="old",
    )
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Activity.objects.count() == 3


def test_an_expired_key_not_yet_swept_counts_as_unused(rep_api):
    # Given a key used 25 hours ago that the sweep has not reached yet
    rep_api.post("/api/v1/activities/", {"metric": "calls"}, HTTP_IDEMPOTENCY_KEY="k")
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    # When it is used again with another body
    response = rep_api.post(
        "/api/v1/activities/",
        {"metric": "calls", "quantity": 4},
        HTTP_IDEMPOTENCY_KEY="k",
    )
    # Then it is a new write, not a 422
    assert response.status_code == 201
    assert Activity.objects.count() == 2


def test_the_sweep_is_a_periodic_task():
    from django_celery_beat.models import PeriodicTask

    from salesteam.tasks import sweep_idempotency_keys

    task = PeriodicTask.objects.get(
        name="salesteam: API: sweep expired Idempotency-Keys"
    )
    assert task.task == sweep_idempotency_keys.name and task.enabled


def test_the_schema_documents_the_422_for_a_reused_key(api_client, rep):
    # Given the OpenAPI schema
    api_client.force_authenticate(rep)
    schema = api_client.get("/api/schema/?format=json").json()
    # Then both idempotent creates document the 422 and the key's rules
    for path in ("/api/v1/activities/", "/api/v1/deals/"):
        operation = schema["paths"][path]["post"]
        assert "422" in operation["responses"]
        header = next(p for p in operation["parameters"] if p["in"] == "header")
        assert "different body" in header["description"]
        assert "24 hours" in header["description"]


# --- Datetimes need an offset, free text is bounded (issue 13, point 14) -------------


@pytest.mark.parametrize(
    ("path", "field", "extra"),
    [
        ("/api/v1/activities/", "occurred_at", {"metric": "calls"}),
        ("/api/v1/deals/", "closed_at", {"title": "Acme", "amount": "10.00"}),
    ],
)
def test_a_datetime_without_an_offset_is_a_400_not_taken_as_utc(
    rep_api, path, field, extra
):
    # Given a local wall-clock time with no offset
    naive = (timezone.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S")
    # When it is posted
    response = rep_api.post(path, {**extra, field: naive})
    # Then it is refused, naming the field and what to add; nothing is written
    assert response.status_code == 400
    assert "Include a UTC offset" in response.json()[field][0]
    assert not Activity.objects.exists() and not Deal.objects.exists()


def test_a_datetime_with_an_offset_or_z_is_accepted(rep_api, rep):
    when = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    for text in (when.isoformat(), when.strftime("%Y-%m-%dT%H:%M:%SZ")):
        response = rep_api.post(
            "/api/v1/activities/", {"metric": "calls", "occurred_at": text}
        )
        assert response.status_code == 201, response.json()
    assert Activity.objects.count() == 2


def test_a_datetime_without_an_offset_is_a_400_when_an_entry_is_edited(rep_api, rep):
    activity = activity_log(rep=rep, metric=Metric.objects.get(slug="calls"))
    response = rep_api.patch(
        f"/api/v1/activities/{activity.pk}/", {"occurred_at": "2026-01-05T09:00:00"}
    )
    assert response.status_code == 400
    assert "Include a UTC offset" in response.json()["occurred_at"][0]


@pytest.mark.parametrize(
    ("path", "field", "extra"),
    [
        ("/api/v1/activities/", "note", {"metric": "calls"}),
        ("/api/v1/deals/", "note", {"title": "Acme", "amount": "10.00"}),
        ("/api/v1/contacts/", "notes", {"name": "Ann"}),
    ],
)
def test_free_text_over_5000_characters_is_a_400_and_writes_nothing(
    rep_api, path, field, extra
):
    response = rep_api.post(path, {**extra, field: "x" * 5001})
    assert response.status_code == 400
    assert response.json()[field] == [
        "Ensure this field has no more than 5000 characters."
    ]
    assert not Activity.objects.exists() and not Deal.objects.exists()


def test_a_body_over_the_upload_limit_is_a_json_413(rep_api, settings):
    # Given an upload limit of 1 kB
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    # When a bigger JSON body is posted
    response = rep_api.post(
        "/api/v1/activities/", {"metric": "calls", "note": "x" * 2000}, format="json"
    )
    # Then the answer is JSON saying so, not Django's HTML 400 page
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "non_field_errors": ["The request body is larger than the limit of 1024 bytes."]
    }
    assert not Activity.objects.exists()
