"""Earned quiet: a trusted rep on pace hears nothing, and nobody hears, of activity dips."""

import datetime as dt

import pytest

from accounts.models import AutonomyLevel, Notification
from activities.services import activity_log
from targets.dashboard.board import dashboard_for
from targets.models import Flag
from targets.review import review_chunk
from targets.review_selectors import flags_needing_attention
from targets.services import dip_flags_refresh, target_set
from tests import factories
from tests.scenarios import at, rep_with_quota, sell

pytestmark = pytest.mark.django_db

# Friday 27 November 2026, before work, in Athens: Tue–Thu were the last 3 work days.
REVIEWED = at("Europe/Athens", 2026, 11, 27, 8)


def autonomous_rep_in_a_dip(team, *, november_sales: int):
    """An autonomous rep with 25 calls a day agreed who made 5 a day Tue–Thu, and
    October's quota met; `november_sales` decides their pace."""
    rep = rep_with_quota(team, "Europe/Athens", autonomy_level=AutonomyLevel.AUTONOMOUS)
    target_set(
        rep=rep,
        metric=factories.metric("calls"),
        period="day",
        amount=25,
        effective_from=dt.date(2026, 1, 1),
        by=team.manager,
        now=at("Europe/Athens", 2026, 1, 1, 9),
    )
    sell(rep, 12000, at("Europe/Athens", 2026, 10, 15, 12))
    if november_sales:
        sell(rep, november_sales, at("Europe/Athens", 2026, 11, 3, 12))
    for day in (24, 25, 26):
        activity_log(
            rep=rep,
            metric="calls",
            quantity=5,
            occurred_at=at("Europe/Athens", 2026, 11, day, 10),
            by=rep,
            now=at("Europe/Athens", 2026, 11, day, 11),
        )
    return rep


def dip_notifications(manager):
    return Notification.objects.filter(user=manager, kind="flag.activity_dip")


def panels_show_a_dip(manager, team) -> bool:
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period="week", now=REVIEWED
    )
    attention = flags_needing_attention(viewer=manager, now=REVIEWED)
    return any(f.kind == "activity_dip" for f in board.flags + attention)


def test_an_autonomous_rep_on_pace_with_a_dip_raises_nothing_and_shows_nothing(team):
    # Given an autonomous rep in a call dip who is ahead of pace on their quota
    rep = autonomous_rep_in_a_dip(team, november_sales=9500)

    # When the review runs
    review_chunk(rep_ids=[rep.pk], now=REVIEWED)

    # Then no dip is raised, the manager is not told, and no panel shows one
    assert not Flag.objects.filter(rep=rep, kind="activity_dip").exists()
    assert not dip_notifications(team.manager).exists()
    assert not panels_show_a_dip(team.manager, team)


def test_the_same_rep_off_pace_gets_the_dip_flagged_notified_and_shown(team):
    # Given the same autonomous rep in the same dip, but behind pace on their quota
    rep = autonomous_rep_in_a_dip(team, november_sales=1000)

    # When the review runs
    review_chunk(rep_ids=[rep.pk], now=REVIEWED)

    # Then the dip is flagged, the manager is told and both panels show it
    assert Flag.objects.filter(rep=rep, kind="activity_dip", status="open").exists()
    assert dip_notifications(team.manager).count() == 1
    assert panels_show_a_dip(team.manager, team)


def test_a_dip_from_before_goes_quiet_once_the_rep_is_back_on_pace(team):
    # Given an off-pace autonomous rep whose dip was flagged
    rep = autonomous_rep_in_a_dip(team, november_sales=1000)
    review_chunk(rep_ids=[rep.pk], now=REVIEWED)
    assert panels_show_a_dip(team.manager, team)

    # When a big deal puts them on pace again
    sell(rep, 9000, at("Europe/Athens", 2026, 11, 26, 16))

    # Then the panels drop the dip at once, and the next dip check resolves it
    assert not panels_show_a_dip(team.manager, team)
    assert dip_flags_refresh(rep_id=rep.pk, now=REVIEWED) == 1
    assert Flag.objects.get(rep=rep, kind="activity_dip").status == "resolved"


def test_an_established_rep_earns_quiet_but_a_ramping_one_does_not(team):
    quiet = autonomous_rep_in_a_dip(team, november_sales=9500)
    quiet.autonomy_level = AutonomyLevel.ESTABLISHED
    quiet.save(update_fields=["autonomy_level"])
    watched = autonomous_rep_in_a_dip(team, november_sales=9500)
    watched.autonomy_level = AutonomyLevel.RAMPING
    watched.save(update_fields=["autonomy_level"])

    review_chunk(rep_ids=[quiet.pk, watched.pk], now=REVIEWED)

    dipped = set(
        Flag.objects.filter(kind="activity_dip").values_list("rep_id", flat=True)
    )
    assert dipped == {watched.pk}


def trusted_reps_with_dips(team, count: int) -> None:
    calls = factories.metric("calls")
    for _ in range(count):
        rep = rep_with_quota(team, "Europe/Athens", autonomy_level="established")
        Flag.objects.create(
            rep=rep,
            kind="activity_dip",
            metric=calls,
            period="day",
            period_start=dt.date(2026, 11, 24),
            period_end=dt.date(2026, 11, 26),
            target=75,
            actual=15,
            percent=20,
        )


@pytest.mark.parametrize("count", [2, 20])
def test_the_attention_page_reads_the_quiet_rule_in_three_more_queries_whatever_size(
    client, team, django_assert_num_queries, count
):
    # Given trusted reps with open dips (four queries without any: see
    # tests/coaching/test_review_queries.py), the quiet rule reads their month's
    # targets and tallies and the metrics (cached per process, cold in a test)
    trusted_reps_with_dips(team, count)
    client.force_login(team.manager)
    with django_assert_num_queries(7):
        assert client.get("/targets/attention/").status_code == 200
