"""`core.events`: after commit, ids only, each subscriber each event, savepoints kept."""

import pytest
from django.db import connection, transaction

from core import events


@pytest.fixture
def heard(monkeypatch):
    heard = []
    monkeypatch.setattr(events, "_subscribers", [])
    events.subscribe(lambda event, ids: heard.append(("first", event, ids)))
    events.subscribe(lambda event, ids: heard.append(("second", event, ids)))
    return heard


def flag_raised(flag_id):
    return [
        ("first", "flag.raised", {"flag_id": flag_id}),
        ("second", "flag.raised", {"flag_id": flag_id}),
    ]


@pytest.mark.django_db
def test_many_events_reach_every_subscriber_after_commit_in_order(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events.publish_many("flag.raised", ({"flag_id": n} for n in (1, 2, 3)))
        assert heard == []
    assert heard == flag_raised(1) + flag_raised(2) + flag_raised(3)
    assert len(callbacks) == 1  # many events, one on-commit callback


@pytest.mark.django_db
def test_events_of_a_rolled_back_savepoint_are_not_delivered(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        events.publish("flag.raised", flag_id=1)
        try:
            with transaction.atomic():
                events.publish_many("flag.raised", [{"flag_id": 2}, {"flag_id": 3}])
                with transaction.atomic():
                    events.publish_many("flag.raised", [{"flag_id": 4}])
                raise RuntimeError("undo the savepoint")
        except RuntimeError:
            pass
        with transaction.atomic():
            events.publish_many("flag.raised", [{"flag_id": 5}])
        events.publish("flag.raised", flag_id=6)
    assert heard == flag_raised(1) + flag_raised(5) + flag_raised(6)


@pytest.mark.django_db(transaction=True)
def test_events_are_delivered_on_a_real_commit_and_at_once_outside_a_transaction(
    heard,
):
    with transaction.atomic():
        events.publish_many("flag.raised", [{"flag_id": 1}])
        events.publish("plan.opened", plan_id=2)
        assert heard == []
    assert heard == flag_raised(1) + [
        ("first", "plan.opened", {"plan_id": 2}),
        ("second", "plan.opened", {"plan_id": 2}),
    ]
    assert connection.run_on_commit == []
    events.publish_many("flag.raised", [{"flag_id": 3}])
    assert heard[-2:] == flag_raised(3)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_announces_nothing(heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish_many("flag.raised", [{"flag_id": 1}, {"flag_id": 2}])
        raise RuntimeError("roll back")
    assert heard == []


@pytest.mark.django_db
def test_nothing_to_announce_registers_nothing(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        events.publish_many("flag.raised", [])
    assert callbacks == [] and heard == []


def test_an_event_with_the_wrong_ids_is_refused(heard):
    with pytest.raises(ValueError):
        events.publish("flag.raised", plan_id=1)
    with pytest.raises(ValueError):
        events.publish_many("flag.raised", [{"flag_id": 1}, {"plan_id": 2}])


@pytest.mark.django_db
def test_a_failing_subscriber_does_not_stop_the_others(
    heard, django_capture_on_commit_callbacks
):
    def broken(event, ids):
        raise RuntimeError("broken")

    events._subscribers.insert(0, broken)
    with django_capture_on_commit_callbacks(execute=True):
        events.publish_many("flag.raised", [{"flag_id": 1}, {"flag_id": 2}])
    assert heard == flag_raised(1) + flag_raised(2)
