"""targets/rep_results.py: a rep's charts, streaks, target history and recent work."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.services import deal_log
from targets.rep_results import _streak, rep_results_for
from targets.selectors import attainment_for_rep
from targets.services import target_set
from tests import factories
from tests.targets.test_dashboard import NOW, give_standard_targets, log


@pytest.fixture
def changed_rep(manager, team):
    """Nikos (UTC): 25 calls a day until 11 March, 40 from the 12th; 20,000 this month."""
    rep = factories.RepFactory(team=team, first_name="Nikos", timezone="UTC")
    give_standard_targets(rep)
    target_set(
        rep=rep,
        metric=factories.metric("calls"),
        period="day",
        amount=40,
        effective_from=dt.date(2026, 3, 12),
        by=manager,
        now=dt.datetime(2026, 3, 11, 12, tzinfo=dt.UTC),
    )
    for offset in range(0, 40, 3):
        day = rep.local_date(NOW) - dt.timedelta(days=offset)
        log(rep, "calls", day, 29, hour=10)
        log(rep, "appointments", day, 2, hour=11)
    deal_log(
        rep=rep,
        title="Deal",
        amount=Decimal(20000),
        closed_at=NOW - dt.timedelta(days=1),
        now=NOW,
    )
    return rep


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["met", "met", "behind", "met", "met", "met"], (3, 3)),
        (["met", "met", "met", "behind", "behind"], (0, 3)),
        # the running (last) period does not break it until it is over
        (["met", "met", "on_pace"], (2, 2)),
        (["met", "met", "behind"], (2, 2)),
        (["met", "no_target", "met", "met"], (3, 3)),  # days off are skipped
        (["no_target", "no_target"], (0, 0)),
    ],
)
def test_streaks_count_consecutive_periods_met(statuses, expected):
    assert _streak(statuses) == expected


def test_results_have_charts_streaks_history_and_recent_activities(
    manager, changed_rep
):
    rep = changed_rep
    results = rep_results_for(rep=rep, now=NOW)
    charts = {chart.period: chart for chart in results.charts}
    assert set(charts) == {"day", "week", "month"}
    daily = charts["day"]
    assert len(daily.labels) == 90 and daily.labels[-1] == "2026-03-18"
    calls = next(s for s in daily.series if s.metric == "calls")
    assert {s.metric for s in daily.series} == {"calls", "thank_you_notes"}
    # The daily target line follows the change on the 12th (and is empty on weekends)
    by_day = dict(zip(daily.labels, calls.target, strict=True))
    assert (by_day["2026-03-11"], by_day["2026-03-12"], by_day["2026-03-14"]) == (
        25.0,
        40.0,
        None,
    )
    assert calls.actual[-1] == float(
        attainment_for_rep(rep=rep, period="day", on=dt.date(2026, 3, 18), now=NOW)
        .for_metric("calls")
        .actual
    )
    assert [s.metric for s in charts["week"].series] == ["appointments"]
    assert len(charts["week"].labels) == 13
    monthly = charts["month"]
    assert [s.metric for s in monthly.series] == ["revenue"]
    assert len(monthly.labels) == 12 and monthly.labels[-1] == "2026-03"
    assert monthly.series[0].actual[-1] == 20000.0
    assert {(s.metric, s.period) for s in results.streaks} >= {
        ("calls", "day"),
        ("appointments", "week"),
        ("revenue", "month"),
    }
    revenue_streak = next(s for s in results.streaks if s.metric == "revenue")
    assert revenue_streak.current == 1
    # Target history: the closed 25 and the new 40, who set it
    calls_history = [t for t in results.target_history if t.metric.slug == "calls"]
    assert [(t.amount, t.effective_until) for t in calls_history] == [
        (Decimal(40), None),
        (Decimal(25), dt.date(2026, 3, 11)),
    ]
    assert calls_history[0].set_by == manager
    assert 0 < len(results.recent_activities) <= 20
    assert results.charts_json["day"]["series"][0]["actual"] == calls.actual


def test_results_of_a_rep_without_targets_have_no_charts(team):
    rep = factories.RepFactory(team=team)
    results = rep_results_for(rep=rep, now=timezone.now())
    assert results.charts == [] and results.streaks == []
    assert results.target_history == [] and results.recent_activities == []
