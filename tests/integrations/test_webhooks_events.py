"""The events the webhooks carry: where they are published, and what each payload says."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts import services as accounts_services
from coaching.models import ImprovementPlan
from core import events
from integrations.webhooks.payloads import EVENT_TYPES, payload_data
from integrations.webhooks.schema import DATA_EXAMPLES
from targets import services as targets_services
from targets.models import Flag, FlagKind, FlagStatus, Kudos
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch, django_capture_on_commit_callbacks):
    """The events published (and committed) inside `with published.capture():`."""

    class Recorder(list):
        def capture(self):
            return django_capture_on_commit_callbacks(execute=True)

    recorder = Recorder()
    monkeypatch.setattr(
        events, "_subscribers", [lambda event, ids: recorder.append((event, ids))]
    )
    return recorder


def calls(rep):
    return factories.metric("calls")


def test_agreeing_the_days_targets_is_one_target_agreed_event(rep, manager, published):
    calls_metric = factories.metric("calls")
    revenue = factories.metric("revenue")
    with published.capture():
        changed = targets_services.targets_agree(
            rep=rep,
            amounts=[
                (calls_metric, "day", Decimal(30)),
                (revenue, "month", Decimal(20000)),
            ],
            effective_from=rep.local_date(),
            by=manager,
        )
    assert published == [
        ("target.agreed", {"rep_id": rep.pk, "target_ids": [t.pk for t in changed]})
    ]


def test_a_target_a_manager_sets_is_agreed_but_a_templates_is_not(
    rep, manager, published
):
    with published.capture():
        target = targets_services.target_set(
            rep=rep,
            metric=calls(rep),
            period="day",
            amount=Decimal(25),
            effective_from=rep.local_date(),
            by=manager,
        )
        targets_services.target_set(
            rep=rep,
            metric=factories.metric("revenue"),
            period="month",
            amount=Decimal(1000),
            effective_from=rep.local_date(),
            by=None,
        )
    assert published == [
        ("target.agreed", {"rep_id": rep.pk, "target_ids": [target.pk]})
    ]


def test_the_reps_own_agreement_is_announced_once(rep, published):
    target = factories.TargetFactory(rep=rep)
    with published.capture():
        targets_services.target_acknowledge(target=target, by=rep)
        targets_services.target_acknowledge(target=target, by=rep)
    assert published == [
        ("target.agreed", {"rep_id": rep.pk, "target_ids": [target.pk]})
    ]


def make_flag(rep, **fields) -> Flag:
    return Flag.objects.create(
        rep=rep,
        kind=fields.pop("kind", FlagKind.BELOW_QUOTA),
        metric=factories.metric("revenue"),
        period="month",
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 30),
        target=Decimal(20000),
        actual=Decimal(12800),
        percent=64,
        **fields,
    )


def test_resolving_a_flag_is_announced_once(rep, published):
    flag = make_flag(rep)
    with published.capture():
        targets_services.flag_resolve(flag=flag)
        targets_services.flag_resolve(flag=flag)
    assert published == [("flag.resolved", {"flag_id": flag.pk})]


def test_a_dip_resolved_by_the_days_activity_is_announced(rep, published):
    # Given an open dip on calls, and today's calls meeting the daily target
    factories.TargetFactory(rep=rep, amount=1)
    flag = make_flag(rep, kind=FlagKind.ACTIVITY_DIP)
    Flag.objects.filter(pk=flag.pk).update(metric=factories.metric("calls"))
    factories.ActivityFactory(rep=rep)
    published.clear()
    # When the refresh (or its hourly sweep) runs
    with published.capture():
        assert targets_services.dip_flags_sweep() == 1
    assert ("flag.resolved", {"flag_id": flag.pk}) in published


def test_a_managers_kudos_is_announced(rep, manager, published):
    with published.capture():
        praise = targets_services.kudos_give(rep=rep, by=manager, message="Well done")
    assert ("kudos.given", {"kudos_id": praise.pk}) in published


def test_onboarding_a_person_or_a_file_of_people_is_announced(
    admin_user, team, published
):
    with published.capture():
        rep = accounts_services.rep_onboard(
            by=admin_user,
            email="nikos@example.com",
            first_name="Nikos",
            last_name="G",
            timezone="Europe/Athens",
            team=team,
        )
    assert ("person.onboarded", {"user_id": rep.pk}) in published
    published.clear()
    rows = [
        {
            "email": f"bulk{n}@example.com",
            "first_name": "Bulk",
            "last_name": str(n),
            "role": "rep",
            "team": team,
            "timezone": "Europe/Athens",
        }
        for n in range(2)
    ]
    with published.capture():
        people = accounts_services.people_create_in_bulk(rows=rows, by=admin_user)
    assert [ids for event, ids in published if event == "person.onboarded"] == [
        {"user_id": person.pk} for person in people
    ]


# --- Payloads -------------------------------------------------------------------------


def shape(value):
    """The keys of a payload, recursively (a list by its first item)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


@pytest.fixture
def world_of_events(rep, manager, admin_user):
    """The ids of one real object for every event type."""
    activity = factories.ActivityFactory(rep=rep)
    deal = factories.DealFactory(rep=rep, contact=None)
    target = factories.TargetFactory(rep=rep, set_by=manager)
    flag = make_flag(rep)
    plan = ImprovementPlan.objects.create(
        rep=rep, flag=flag, opened_at=timezone.now(), review_until=dt.date(2027, 1, 31)
    )
    praise = Kudos.objects.create(rep=rep, given_by=manager, message="Three in a row")
    meeting = factories.MeetingFactory(rep=rep)
    ids = {
        "activity.logged": {"activity_id": activity.pk},
        "deal.won": {"deal_id": deal.pk},
        "target.agreed": {"rep_id": rep.pk, "target_ids": [target.pk]},
        "flag.raised": {"flag_id": flag.pk},
        "flag.resolved": {"flag_id": flag.pk},
        "plan.opened": {"plan_id": plan.pk},
        "plan.closed": {"plan_id": plan.pk},
        "kudos.given": {"kudos_id": praise.pk},
        "meeting.scheduled": {"meeting_id": meeting.pk},
        "meeting.rescheduled": {"meeting_id": meeting.pk},
        "meeting.cancelled": {"meeting_id": meeting.pk},
        "person.onboarded": {"user_id": rep.pk},
    }
    return ids


def test_every_event_type_has_a_payload_shaped_as_its_documented_example(
    world_of_events,
):
    assert set(world_of_events) == set(EVENT_TYPES) == set(events.EVENTS)
    for event, ids in world_of_events.items():
        data = payload_data(event, ids)
        assert shape(data) == shape(DATA_EXAMPLES[event]), event


def test_a_payload_carries_what_an_integrator_needs(world_of_events, rep):
    data = payload_data("deal.won", world_of_events["deal.won"])
    assert data["rep"] == {
        "id": rep.pk,
        "email": rep.email,
        "name": rep.get_full_name(),
    }
    assert data["amount"] == "1000.00" and data["currency"] == "EUR"
    meeting = payload_data("meeting.scheduled", world_of_events["meeting.scheduled"])
    assert {person["id"] for person in meeting["participants"]} == {
        rep.pk,
        rep.team.manager_id,
    }
    assert "private_notes" not in meeting


def test_an_event_whose_rows_are_gone_has_no_payload(rep):
    assert payload_data("activity.logged", {"activity_id": 987654}) is None
    assert payload_data("target.agreed", {"rep_id": rep.pk, "target_ids": []}) is None


def test_the_flag_status_in_a_resolved_payload_is_resolved(rep):
    flag = make_flag(rep)
    targets_services.flag_resolve(flag=flag)
    data = payload_data("flag.resolved", {"flag_id": flag.pk})
    assert data["status"] == FlagStatus.RESOLVED and data["resolved_at"]
