"""targets/dashboard/: the dashboard, leaderboard and results reads, and their cost."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from activities.models import DayTally
from activities.services import activity_log, deal_log
from targets.dashboard import (
    CUSTOM,
    LAST_MONTH,
    THIS_MONTH,
    THIS_WEEK,
    TODAY,
    dashboard_csv_rows,
    dashboard_for,
    dashboard_reps,
    leaderboard_from,
    sparkline_weeks,
)
from targets.models import Target
from targets.selectors import attainment_for_ranges, attainment_for_rep
from targets.services import target_set
from tests import factories

UTC = dt.UTC
# Wednesday 18 March 2026, 12:00 UTC: already Thursday in Kiritimati (UTC+14),
# still 02:00 on Wednesday in Honolulu (UTC-10).
NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
STANDARD = [
    ("calls", "day", 25),
    ("appointments", "week", 5),
    ("thank_you_notes", "day", 10),
    ("revenue", "month", 20000),
]


def give_standard_targets(rep, since=dt.date(2025, 1, 1), agreed=True):
    Target.objects.bulk_create(
        Target(
            rep=rep,
            metric=factories.metric(slug),
            period=period,
            amount=amount,
            effective_from=since,
            agreed_at=NOW if agreed else None,
        )
        for slug, period, amount in STANDARD
    )


def log(rep, slug, day, quantity, hour=12):
    """Log at `hour` o'clock on the rep's local `day` (through the service)."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=rep.zone)
    activity_log(
        rep=rep, metric=slug, quantity=quantity, occurred_at=moment, now=moment
    )


@pytest.fixture
def mixed_team(manager, team):
    """Four reps: Athens, Kiritimati, Honolulu, and one whose target changed mid-month."""
    athens = factories.RepFactory(
        team=team, first_name="Eleni", timezone="Europe/Athens"
    )
    kiritimati = factories.RepFactory(
        team=team, first_name="Tia", timezone="Pacific/Kiritimati"
    )
    honolulu = factories.RepFactory(
        team=team, first_name="Kai", timezone="Pacific/Honolulu"
    )
    changed = factories.RepFactory(team=team, first_name="Nikos", timezone="UTC")
    for rep in (athens, kiritimati, honolulu, changed):
        give_standard_targets(rep)
    # Nikos: 25 calls a day until the 11th, 40 from Thursday the 12th
    target_set(
        rep=changed,
        metric=factories.metric("calls"),
        period="day",
        amount=40,
        effective_from=dt.date(2026, 3, 12),
        by=manager,
        now=dt.datetime(2026, 3, 11, 12, tzinfo=UTC),
    )
    for index, rep in enumerate((athens, kiritimati, honolulu, changed)):
        for offset in range(0, 40, 3):
            day = rep.local_date(NOW) - dt.timedelta(days=offset)
            log(rep, "calls", day, 20 + 3 * index, hour=10)
            log(rep, "appointments", day, 1 + index % 2, hour=11)
        deal_log(
            rep=rep,
            title="Deal",
            amount=Decimal(5000 * (index + 1)),
            closed_at=NOW - dt.timedelta(days=1),
            now=NOW,
        )
    return {
        "athens": athens,
        "kiritimati": kiritimati,
        "honolulu": honolulu,
        "changed": changed,
    }


def selector_on(rep, period) -> tuple[str, dt.date]:
    """The attainment selector's period and day for a dashboard period."""
    today = rep.local_date(NOW)
    return {
        TODAY: ("day", today),
        THIS_WEEK: ("week", today),
        THIS_MONTH: ("month", today),
        LAST_MONTH: ("month", today.replace(day=1) - dt.timedelta(days=1)),
    }[period]


@pytest.mark.parametrize("period", [TODAY, THIS_WEEK, THIS_MONTH, LAST_MONTH])
def test_every_number_equals_the_attainment_selector_in_each_reps_calendar(
    manager, team, mixed_team, period
):
    # When the manager opens the dashboard for the period
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=period, now=NOW
    )
    # Then each rep's row holds exactly what the attainment selector says for that
    # rep's own day, week or month — Kiritimati's "today" is already the 19th
    assert {row.rep.pk for row in board.rows} == {r.pk for r in mixed_team.values()}
    for row in board.rows:
        selector_period, on = selector_on(row.rep, period)
        expected = attainment_for_rep(
            rep=row.rep, period=selector_period, on=on, now=NOW
        )
        assert row.attainment.metrics == expected.metrics, row.rep
        assert (row.attainment.start, row.attainment.end) == (
            expected.start,
            expected.end,
        )
        assert [cell.metric for cell in row.cells] == [c.slug for c in board.columns]
        assert all(
            cell == expected.for_metric(cell.metric) for cell in row.cells if cell
        )
    if period == TODAY:
        dates = {row.rep.first_name: row.attainment.start for row in board.rows}
        assert dates["Tia"] == dt.date(2026, 3, 19)
        assert dates["Kai"] == dt.date(2026, 3, 18)


def test_a_target_changed_mid_month_counts_old_and_new_days(manager, team, mixed_team):
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=THIS_MONTH, now=NOW
    )
    nikos = next(row for row in board.rows if row.rep.first_name == "Nikos")
    calls = nikos.attainment.for_metric("calls")
    # 8 work days at 25 (2-11 March) and 14 at 40 (12-31 March)
    assert calls.target == Decimal(8 * 25 + 14 * 40)


def test_a_custom_range_equals_the_selector_for_the_same_dates(
    manager, team, mixed_team
):
    start, end = dt.date(2026, 2, 9), dt.date(2026, 3, 8)
    board = dashboard_for(
        viewer=manager,
        teams=[team],
        team=team,
        period=CUSTOM,
        start=start,
        end=end,
        now=NOW,
    )
    reps = list(mixed_team.values())
    expected = attainment_for_ranges(
        reps=reps, ranges={(rep.pk, "x"): (start, end) for rep in reps}, now=NOW
    )
    for row in board.rows:
        assert row.attainment.metrics == expected[row.rep.pk, "x"].metrics
    # Four weeks of 5 appointments a week
    assert board.rows[0].attainment.for_metric("appointments").target == 20


def test_the_totals_row_adds_up_the_reps(manager, team, mixed_team):
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=THIS_WEEK, now=NOW
    )
    for index, column in enumerate(board.columns):
        cells = [row.cells[index] for row in board.rows if row.cells[index]]
        total = board.totals[index]
        assert total.actual == sum(cell.actual for cell in cells)
        targets = [cell.target for cell in cells if cell.target is not None]
        assert total.target == (sum(targets) if targets else None), column.slug


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_rows_sort_by_a_metric_percent_then_actual(
    manager, team, mixed_team, direction
):
    board = dashboard_for(
        viewer=manager,
        teams=[team],
        team=team,
        period=THIS_MONTH,
        sort="calls",
        direction=direction,
        now=NOW,
    )
    keys = [
        (
            row.attainment.for_metric("calls").percent,
            row.attainment.for_metric("calls").actual,
        )
        for row in board.rows
    ]
    assert keys == sorted(keys, reverse=direction == "desc")
    assert (board.sort, board.direction) == ("calls", direction)


def test_rows_sort_by_name_by_default_and_for_an_unknown_column(
    manager, team, mixed_team
):
    for sort in ("name", "no-such-column"):
        board = dashboard_for(
            viewer=manager, teams=[team], team=team, period=TODAY, sort=sort, now=NOW
        )
        assert [row.rep.first_name for row in board.rows] == [
            "Eleni",
            "Kai",
            "Nikos",
            "Tia",
        ]
        assert board.sort == "name"


def test_the_csv_is_exactly_the_dashboard(manager, team, mixed_team):
    board = dashboard_for(
        viewer=manager,
        teams=[team],
        team=team,
        period=THIS_MONTH,
        sort="revenue",
        direction="desc",
        now=NOW,
    )
    text = io.StringIO()
    csv.writer(text).writerows(dashboard_csv_rows(board))
    lines = list(csv.reader(io.StringIO(text.getvalue())))
    header, body, total = lines[0], lines[1:-1], lines[-1]
    assert header[:3] == ["Rep", "Team", "Local time"]
    # Each metric's four cells, then the month forecast's low, expected, high, quota
    # and whether it is at risk
    assert len(header) == 3 + 4 * len(board.columns) + 5
    assert header[-5:] == [
        "Month forecast · low",
        "Month forecast · expected",
        "Month forecast · high",
        "Month forecast · quota",
        "Month forecast · at risk",
    ]
    assert [line[0] for line in body] == [str(row.rep) for row in board.rows]
    for line, row in zip(body, board.rows, strict=True):
        for index, cell in enumerate(row.cells):
            actual, target, percent, status = line[3 + 4 * index : 7 + 4 * index]
            assert Decimal(actual) == cell.actual
            assert (Decimal(target) if target else None) == cell.target
            assert (int(percent) if percent else None) == cell.percent
            assert status == cell.status
    assert total[0] == "Team total"
    revenue = [c.slug for c in board.columns].index("revenue")
    assert Decimal(total[3 + 4 * revenue]) == board.totals[revenue].actual
    for line, row in zip(body, board.rows, strict=True):
        assert [Decimal(value) for value in line[-5:-1]] == [
            row.forecast.low,
            row.forecast.expected,
            row.forecast.high,
            row.forecast.quota,
        ]
    assert Decimal(total[-4]) == board.forecast_total.expected


def test_needs_attention_lists_reps_behind_on_the_quota(manager, team, mixed_team):
    # Last month every rep is far below 20,000 of revenue (deals are this month)
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=LAST_MONTH, now=NOW
    )
    assert {row.rep.pk for row, _cell in board.needs_attention} == {
        rep.pk for rep in mixed_team.values()
    }
    assert all(cell.metric == "revenue" for _row, cell in board.needs_attention)
    # This month Nikos (4 × 5,000) has met it
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=THIS_MONTH, now=NOW
    )
    assert mixed_team["changed"].pk not in {
        row.rep.pk for row, _ in board.needs_attention
    }


def test_badges_local_time_and_the_review_hook(manager, team, mixed_team):
    late = factories.RepFactory(team=team, first_name="Zoe", timezone="Asia/Tokyo")
    give_standard_targets(late, agreed=False)
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=TODAY, now=NOW
    )
    by_name = {row.rep.first_name: row for row in board.rows}
    assert by_name["Zoe"].pending_acknowledgement is True
    assert by_name["Eleni"].pending_acknowledgement is False
    assert by_name["Zoe"].local.local_now.hour == 21  # 12:00 UTC is 21:00 in Tokyo
    # Flags and improvement plans do not exist yet: the hook is there, empty
    assert all((row.open_flags, row.open_plan) == (0, False) for row in board.rows)


def test_dashboard_reps_are_the_teams_active_reps_with_targets_to_agree(team):
    calls = factories.metric("calls")
    other_team = factories.TeamFactory()

    def rep(first, last, **kwargs):
        return factories.RepFactory(first_name=first, last_name=last, **kwargs)

    def target(person, since, until=None, agreed=False):
        Target.objects.create(
            rep=person,
            metric=calls,
            period="day",
            amount=20,
            effective_from=since,
            effective_until=until,
            agreed_at=NOW if agreed else None,
        )

    agreed = rep("Ann", "Bell", team=team)
    target(agreed, dt.date(2026, 1, 1), agreed=True)
    old_unagreed = rep("Ann", "Able", team=team)  # ended long ago: nothing to agree
    target(old_unagreed, dt.date(2025, 1, 1), until=dt.date(2026, 2, 28))
    ends_yesterday = rep("Cleo", "Day", team=team)  # in force yesterday UTC
    target(ends_yesterday, dt.date(2026, 1, 1), until=dt.date(2026, 3, 17))
    future = rep("Dora", "East", team=team)  # starts next month, not agreed yet
    target(future, dt.date(2026, 4, 1))
    rep("Gone", "Away", team=team, is_active=False)
    rep("Other", "Team", team=other_team)
    factories.ManagerFactory(team=team)

    reps = dashboard_reps(teams=[team], now=NOW)

    assert [(r.first_name, r.last_name) for r in reps] == [
        ("Ann", "Able"),
        ("Ann", "Bell"),
        ("Cleo", "Day"),
        ("Dora", "East"),
    ]
    assert [r.has_unagreed_targets for r in reps] == [False, False, True, True]
    assert all(r.team is team for r in reps)  # the caller's object, not a copy
    assert dashboard_reps(teams=[], now=NOW) == []


def test_sparkline_is_eight_weekly_totals_of_calls(manager, team, mixed_team):
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=TODAY, now=NOW
    )
    weeks = sparkline_weeks(manager.local_date(NOW))
    assert len(weeks) == 8 and weeks[-1] == dt.date(2026, 3, 16)
    for row in board.rows:
        expected = []
        for monday in weeks:
            expected.append(
                sum(
                    DayTally.objects.filter(
                        rep=row.rep,
                        metric__slug="calls",
                        local_date__gte=monday,
                        local_date__lte=monday + dt.timedelta(days=6),
                    ).values_list("quantity", flat=True)
                )
            )
        assert row.sparkline == expected
        assert row.sparkline_points.count(",") == 8


def test_admins_see_every_team_and_an_empty_team_has_no_rows(admin_user, mixed_team):
    other = factories.RepFactory(first_name="Other")
    empty_team = factories.TeamFactory()
    teams = [mixed_team["athens"].team, other.team, empty_team]
    board = dashboard_for(
        viewer=admin_user, teams=teams, team=None, period=TODAY, now=NOW
    )
    assert len(board.rows) == 5
    board = dashboard_for(
        viewer=admin_user, teams=teams, team=empty_team, period=TODAY, now=NOW
    )
    assert board.rows == [] and board.needs_attention == []
    assert [c.slug for c in board.columns][:2] == ["calls", "appointments"]


def test_the_leaderboard_ranks_by_any_metric_with_shared_ranks(
    manager, team, mixed_team
):
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=THIS_MONTH, now=NOW
    )
    entries = leaderboard_from(board, metric="revenue")
    assert [entry.rep.first_name for entry in entries] == [
        "Nikos",
        "Kai",
        "Tia",
        "Eleni",
    ]
    assert [entry.rank for entry in entries] == [1, 2, 3, 4]
    assert leaderboard_from(board, metric="no-such-metric") == []
    # Two reps with the same numbers share a rank
    board.rows[0].cells = list(board.rows[1].cells)
    board.rows[0].attainment = board.rows[1].attainment
    ranks = [entry.rank for entry in leaderboard_from(board, metric="calls")]
    assert ranks.count(ranks[0]) >= 1 and len(set(ranks)) == 3


def test_needs_attention_follows_the_teams_own_quota_metric(manager, team, mixed_team):
    # Given a team whose quota is calls, not revenue
    team.quota_metric = "calls"
    team.save(update_fields=["quota_metric"])
    board = dashboard_for(
        viewer=manager, teams=[team], team=team, period=LAST_MONTH, now=NOW
    )
    # Then the panel lists the reps behind on calls, with their calls percent
    behind = {
        row.rep.pk
        for row in board.rows
        if row.attainment.for_metric("calls").status == "behind"
    }
    assert behind and {row.rep.pk for row, _ in board.needs_attention} == behind
    assert all(cell.metric == "calls" for _row, cell in board.needs_attention)
    assert board.quota_label == "Calls"


def test_a_superseded_target_waits_for_nobodys_agreement(team, manager):
    # Given a rep whose template target of this morning was replaced by the agreed one
    rep = factories.RepFactory(team=team, timezone="UTC")
    today = rep.local_date(NOW)
    calls = factories.metric("calls")
    target_set(
        rep=rep,
        metric=calls,
        period="day",
        amount=25,
        effective_from=today,
        by=None,
        now=NOW,
    )
    agreed = target_set(
        rep=rep,
        metric=calls,
        period="day",
        amount=30,
        effective_from=today,
        by=manager,
        now=NOW,
    )
    # When the rep agrees to the new one
    Target.objects.filter(pk=agreed.pk).update(agreed_at=NOW)
    # Then the dashboard has nothing left for them to agree to
    [row] = dashboard_for(
        viewer=manager, teams=[team], team=team, period=TODAY, now=NOW
    ).rows
    assert row.pending_acknowledgement is False
    assert row.attainment.for_metric("calls").target == 30
