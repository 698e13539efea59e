"""coaching/attention.py: the month's attention per rep, and the upside-down rule."""

import datetime as dt

import pytest

from coaching.attention import attention_ledger, month_start
from meetings.models import MeetingStatus, Participant
from targets.models import Flag, FlagKind, Kudos
from targets.services import kudos_give
from tests import factories
from tests.scenarios import at, rep_with_quota, sell

pytestmark = pytest.mark.django_db

ATHENS = "Europe/Athens"
OCTOBER = dt.date(2026, 10, 1)
NOVEMBER = dt.date(2026, 11, 1)
# A moment well after October closed in every zone.
LATER = at("UTC", 2026, 11, 20, 12)


def one_on_one(rep, when: dt.datetime, minutes: int, **fields):
    return factories.MeetingFactory(
        rep=rep, starts_at=when, duration_minutes=minutes, **fields
    )


@pytest.fixture
def sofia(team):
    """On quota in October."""
    rep = rep_with_quota(team, ATHENS, first_name="Sofia")
    sell(rep, 12000, at(ATHENS, 2026, 10, 9, 12))
    return rep


@pytest.fixture
def nikos(team):
    """On quota in October."""
    rep = rep_with_quota(team, ATHENS, first_name="Nikos")
    sell(rep, 10000, at(ATHENS, 2026, 10, 14, 12))
    return rep


@pytest.fixture
def eleni(team):
    """Closed October at 30 % of quota."""
    rep = rep_with_quota(team, ATHENS, first_name="Eleni")
    sell(rep, 3000, at(ATHENS, 2026, 10, 9, 12))
    return rep


def rows_by_rep(ledger):
    return {row.rep: row for row in ledger.rows}


def test_most_minutes_to_reps_on_quota_while_one_below_got_none_is_upside_down(
    team, sofia, nikos, eleni
):
    # Given an hour with Sofia and 45 minutes with Nikos late in October, and Eleni's
    # only one-on-one on the 5th, 26 days before her month ended
    one_on_one(sofia, at(ATHENS, 2026, 10, 20, 10), 60)
    one_on_one(nikos, at(ATHENS, 2026, 10, 27, 10), 45)
    one_on_one(eleni, at(ATHENS, 2026, 10, 5, 10), 30)

    # When the manager reads October
    ledger = attention_ledger(team=team, month=OCTOBER, now=LATER)

    # Then 105 of 135 minutes (77 %) went to reps on quota, and Eleni is named
    assert ledger.upside_down is not None
    assert ledger.upside_down.on_quota_percent == 77
    assert ledger.upside_down.neglected == [eleni]
    assert ledger.upside_down.days == 14
    rows = rows_by_rep(ledger)
    assert (rows[sofia].minutes, rows[nikos].minutes, rows[eleni].minutes) == (
        60,
        45,
        30,
    )
    assert rows[eleni].below_quota and rows[eleni].quota.percent == 30
    assert rows[sofia].on_quota and not rows[sofia].below_quota
    assert rows[eleni].last_met_on == dt.date(2026, 10, 5)
    # The rep who needs attention comes first
    assert ledger.rows[0].rep == eleni


def test_a_recent_one_on_one_with_the_rep_below_quota_keeps_it_right_way_up(
    team, sofia, nikos, eleni
):
    # Given the same minutes on quota, but Eleni met on the 25th (six days before the end)
    one_on_one(sofia, at(ATHENS, 2026, 10, 20, 10), 60)
    one_on_one(nikos, at(ATHENS, 2026, 10, 27, 10), 45)
    one_on_one(eleni, at(ATHENS, 2026, 10, 25, 10), 30)

    ledger = attention_ledger(team=team, month=OCTOBER, now=LATER)

    assert ledger.upside_down is None


def test_most_minutes_to_the_rep_below_quota_is_not_upside_down(
    team, sofia, nikos, eleni
):
    # Given Eleni got most of the minutes, though not in the last two weeks
    one_on_one(sofia, at(ATHENS, 2026, 10, 20, 10), 30)
    one_on_one(eleni, at(ATHENS, 2026, 10, 2, 10), 60)

    ledger = attention_ledger(team=team, month=OCTOBER, now=LATER)

    assert ledger.upside_down is None


def test_half_the_minutes_is_not_most(team, sofia, eleni, settings):
    # Exactly the share in the setting is not more than it
    one_on_one(sofia, at(ATHENS, 2026, 10, 20, 10), 30)
    one_on_one(eleni, at(ATHENS, 2026, 10, 2, 10), 30)

    assert attention_ledger(team=team, month=OCTOBER, now=LATER).upside_down is None

    settings.ATTENTION_UPSIDE_DOWN_SHARE = 0.4
    flagged = attention_ledger(team=team, month=OCTOBER, now=LATER).upside_down
    assert flagged is not None and flagged.neglected == [eleni]


def test_a_rep_at_risk_of_a_running_month_counts_as_needing_attention(
    team, sofia, manager
):
    # Given November running on the 20th, Sofia with an open at-risk flag and a quota
    # already met by Kostas, who got all the minutes
    kostas = rep_with_quota(team, ATHENS, first_name="Kostas")
    sell(kostas, 11000, at(ATHENS, 2026, 11, 3, 12))
    one_on_one(kostas, at(ATHENS, 2026, 11, 17, 10), 60)
    sell(sofia, 9000, at(ATHENS, 2026, 11, 3, 12))  # ahead of pace, but at risk
    Flag.objects.create(
        rep=sofia,
        kind=FlagKind.AT_RISK,
        metric=factories.metric("revenue"),
        period="month",
        period_start=dt.date(2026, 11, 1),
        period_end=dt.date(2026, 11, 30),
        target=10000,
        actual=9000,
        percent=95,
    )

    ledger = attention_ledger(team=team, month=NOVEMBER, now=LATER)

    rows = rows_by_rep(ledger)
    assert rows[sofia].at_risk and rows[sofia].running
    assert rows[kostas].on_quota
    assert ledger.upside_down.neglected == [sofia]
    assert ledger.upside_down.on_quota_percent == 100


def test_only_one_on_ones_that_took_place_count_their_minutes(team, eleni, manager):
    # Given a held one-on-one, a coaching session, a goal-setting meeting, a cancelled
    # one, one Eleni missed, a team meeting and one still to come on the 31st
    one_on_one(eleni, at(ATHENS, 2026, 10, 6, 10), 30)
    one_on_one(eleni, at(ATHENS, 2026, 10, 7, 10), 45, kind="coaching")
    one_on_one(eleni, at(ATHENS, 2026, 10, 8, 10), 60, kind="goal_setting")
    one_on_one(eleni, at(ATHENS, 2026, 10, 9, 10), 30, status=MeetingStatus.CANCELLED)
    missed = one_on_one(eleni, at(ATHENS, 2026, 10, 12, 10), 30)
    Participant.objects.filter(meeting=missed, user=eleni).update(attended=False)
    factories.MeetingFactory(
        kind="team",
        rep=None,
        team=team,
        organiser=manager,
        starts_at=at(ATHENS, 2026, 10, 13, 10),
        duration_minutes=60,
        participants=[manager, eleni],
    )
    one_on_one(eleni, at(ATHENS, 2026, 10, 31, 15), 30)

    # When read on the 31st at noon
    now = at(ATHENS, 2026, 10, 31, 12)
    row = attention_ledger(team=team, month=OCTOBER, now=now).rows[0]

    # Then the three held meetings count; two of them are check-ins
    assert (row.minutes, row.check_ins) == (135, 2)
    assert row.last_met_on == dt.date(2026, 10, 8)
    assert row.running


def test_a_meeting_belongs_to_the_month_on_the_reps_own_clock(team):
    # Given a rep in Kiritimati (UTC+14) met at 09:00 on 1 November, their time:
    # 19:00 on 31 October in UTC
    kiritimati = "Pacific/Kiritimati"
    rep = rep_with_quota(team, kiritimati)
    one_on_one(rep, at(kiritimati, 2026, 11, 1, 9), 30)

    october = attention_ledger(team=team, month=OCTOBER, now=LATER).rows[0]
    november = attention_ledger(team=team, month=NOVEMBER, now=LATER).rows[0]

    assert (october.minutes, november.minutes) == (0, 30)
    assert october.last_met_on is None
    assert november.last_met_on == dt.date(2026, 11, 1)


def test_the_last_one_on_one_can_be_from_long_before_the_month(team, eleni):
    one_on_one(eleni, at(ATHENS, 2026, 6, 3, 10), 30)

    row = attention_ledger(team=team, month=OCTOBER, now=LATER).rows[0]

    assert (row.minutes, row.last_met_on) == (0, dt.date(2026, 6, 3))


def test_comments_are_what_others_wrote_to_the_rep_that_month(team, eleni, manager):
    # Given kudos from the manager and an action item set by them in October ...
    meeting = one_on_one(eleni, at(ATHENS, 2026, 10, 6, 10), 30)
    in_october = at(ATHENS, 2026, 10, 6, 10, 30)
    kudos = kudos_give(rep=eleni, by=manager, message="Great save on Acme")
    item = factories.ActionItemFactory(meeting=meeting, created_by=manager)
    # ... and the system's praise and an item Eleni set herself, which do not count
    praise = Kudos.objects.create(rep=eleni, message="Streak", is_system=True)
    own = factories.ActionItemFactory(meeting=meeting, created_by=eleni)
    # ... and one action item from November
    later = factories.ActionItemFactory(meeting=meeting, created_by=manager)
    Kudos.objects.filter(pk__in=[kudos.pk, praise.pk]).update(created_at=in_october)
    type(item).objects.filter(pk__in=[item.pk, own.pk]).update(created_at=in_october)
    type(item).objects.filter(pk=later.pk).update(created_at=at(ATHENS, 2026, 11, 2, 9))

    row = attention_ledger(team=team, month=OCTOBER, now=LATER).rows[0]

    assert row.comments == 2


def test_inactive_reps_and_the_manager_have_no_row(team, eleni, manager):
    factories.RepFactory(team=team, is_active=False)

    ledger = attention_ledger(team=team, month=OCTOBER, now=LATER)

    assert [row.rep for row in ledger.rows] == [eleni]


def test_a_team_without_reps_has_no_rows_and_no_warning(team):
    ledger = attention_ledger(team=team, month=OCTOBER, now=LATER)

    assert (ledger.rows, ledger.upside_down) == ([], None)


@pytest.mark.parametrize("team_size", [5, 50])
def test_the_ledger_reads_nine_queries_at_any_team_size(
    team, django_assert_num_queries, team_size
):
    for index in range(team_size):
        rep = rep_with_quota(team, ATHENS)
        one_on_one(rep, at(ATHENS, 2026, 10, 1 + index % 28, 10), 30)
        one_on_one(rep, at(ATHENS, 2026, 5, 1 + index % 28, 10), 30)

    # reps; metrics, targets, tallies; one-on-ones; the last before them; kudos;
    # action items; at-risk flags
    with django_assert_num_queries(9):
        ledger = attention_ledger(team=team, month=OCTOBER, now=LATER)

    assert len(ledger.rows) == team_size


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10", dt.date(2026, 10, 1)),
        ("2026-1", None),
        ("2026-13", None),
        ("1969-12", None),
        ("3000-01", None),
        ("october", None),
        ("", None),
    ],
)
def test_a_month_is_read_as_yyyy_mm(value, expected):
    assert month_start(value) == expected
