"""targets/dashboard/forecasts.py: the month forecast per rep and the team's sum on the
dashboard, its page cells and CSV, at a cost that does not grow with the team."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from targets.dashboard import THIS_WEEK, dashboard_for
from targets.dashboard.forecasts import ForecastCell, forecast_total
from tests import factories
from tests.scenarios import at, day_tallies, rep_with_quota

pytestmark = pytest.mark.django_db

# Monday 16 November 2026, 08:00 in Athens: the last 20 work days are 19 October to
# 13 November, 11 work days are left (see tests/targets/test_forecast.py).
NOW = at("Europe/Athens", 2026, 11, 16, 8)
WINDOW = [
    dt.date(2026, 10, 19) + dt.timedelta(days=offset)
    for offset in range(26)
    if (dt.date(2026, 10, 19) + dt.timedelta(days=offset)).isoweekday() <= 5
]


@pytest.fixture
def forecast_team(manager, team):
    """Eleni: €0 and €1,000 on alternate work days (10,500 expected, 8,841.68 –
    12,158.32); Nikos: €200 every work day (4,200, at risk)."""
    eleni = rep_with_quota(team, "Europe/Athens", first_name="Eleni")
    nikos = rep_with_quota(team, "Europe/Athens", first_name="Nikos")
    day_tallies(
        eleni, "revenue", {day: 1000 * (index % 2) for index, day in enumerate(WINDOW)}
    )
    day_tallies(nikos, "revenue", dict.fromkeys(WINDOW, 200))
    return {"eleni": eleni, "nikos": nikos}


@pytest.fixture
def frozen(monkeypatch):
    """Pages read the clock: it says NOW to them."""
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def board_of(manager, team, **kwargs):
    return dashboard_for(
        viewer=manager, teams=[team], team=team, period=THIS_WEEK, now=NOW, **kwargs
    )


def test_each_rep_has_their_forecast_and_the_team_its_sum(manager, team, forecast_team):
    board = board_of(manager, team)
    by_name = {row.rep.first_name: row.forecast for row in board.rows}

    assert by_name["Eleni"] == ForecastCell(
        metric_slug="revenue",
        unit="money",
        low=Decimal("8841.68"),
        expected=Decimal("10500.00"),
        high=Decimal("12158.32"),
        quota=Decimal(10000),
    )
    assert not by_name["Eleni"].at_risk
    assert (by_name["Nikos"].expected, by_name["Nikos"].high) == (
        Decimal("4200.00"),
        Decimal("4200.00"),
    )
    assert by_name["Nikos"].at_risk
    # The team: each end added up, against both quotas
    assert board.forecast_total == ForecastCell(
        metric_slug="revenue",
        unit="money",
        low=Decimal("13041.68"),
        expected=Decimal("14700.00"),
        high=Decimal("16358.32"),
        quota=Decimal(20000),
    )
    assert board.forecast_total.at_risk


def test_the_forecast_is_the_running_month_whatever_period_is_shown(
    manager, team, forecast_team
):
    week = board_of(manager, team)
    last_month = dashboard_for(
        viewer=manager, teams=[team], team=team, period="last_month", now=NOW
    )
    assert [row.forecast for row in week.rows] == [
        row.forecast for row in last_month.rows
    ]


def test_a_rep_without_quota_or_history_and_reps_on_other_metrics():
    revenue = ForecastCell("revenue", "money", Decimal(1), Decimal(2), Decimal(3), None)
    deals = ForecastCell("deals", "count", Decimal(1), Decimal(2), Decimal(3), 5)
    # Without a quota nothing is at risk, and a sum without quotas has none
    assert not revenue.at_risk
    assert forecast_total([revenue, revenue]).quota is None
    # Revenue and deals do not add up; nobody to add up is no total
    assert forecast_total([revenue, deals]) is None
    assert forecast_total([]) is None


def test_the_page_shows_the_forecast_marks_who_is_at_risk_and_sums_the_team(
    client, manager, team, forecast_team, frozen
):
    client.force_login(manager)
    response = client.get(reverse("targets:dashboard"), {"team": team.pk})
    html = response.content.decode()

    assert 'data-testid="forecast-header"' in html
    assert html.count('data-testid="cell-forecast"') == 3  # two reps and the total
    rows = {
        rep: html.split(f'data-rep="{forecast_team[rep].pk}"')[1].split("</tr>")[0]
        for rep in ("eleni", "nikos")
    }
    assert "10,500 / 10,000" in rows["eleni"] and "8,842 – 12,158" in rows["eleni"]
    assert 'data-testid="forecast-at-risk"' not in rows["eleni"]
    assert "4,200 / 10,000" in rows["nikos"] and " – " not in rows["nikos"]  # no spread
    assert (
        'class="text-nowrap status-behind" data-testid="cell-forecast"'
        in (rows["nikos"])
    )
    assert 'data-testid="forecast-at-risk"' in rows["nikos"]
    total = html.split('data-testid="totals-row"')[1].split("</tr>")[0]
    assert "14,700 / 20,000" in total and "13,042 – 16,358" in total
    assert 'data-testid="forecast-at-risk"' in total
    assert 'data-testid="forecast-legend"' in html


def test_the_csv_has_the_forecast_of_each_rep_and_the_team(
    client, manager, team, forecast_team, frozen
):
    client.force_login(manager)
    lines = (
        client.get(reverse("targets:dashboard_csv"), {"team": team.pk})
        .content.decode()
        .splitlines()
    )
    by_name = {line.split(",")[0].split(" ")[0]: line.split(",") for line in lines}
    assert by_name["Eleni"][-5:] == [
        "8841.68",
        "10500.00",
        "12158.32",
        "10000.00",
        "no",
    ]
    assert by_name["Nikos"][-5:] == ["4200.00", "4200.00", "4200.00", "10000.00", "yes"]
    assert lines[-1].split(",")[-5:] == [
        "13041.68",
        "14700.00",
        "16358.32",
        "20000.00",
        "yes",
    ]


@pytest.mark.parametrize("count", [3, 15])
def test_the_forecast_costs_two_queries_whatever_the_team_size(
    manager, django_assert_num_queries, count
):
    team = factories.TeamFactory(manager=manager)
    for index in range(count):
        rep = rep_with_quota(team, ["Europe/Athens", "Pacific/Kiritimati"][index % 2])
        day_tallies(rep, "revenue", dict.fromkeys(WINDOW, 100 + index))
    # reps, metrics, targets, tallies, sparkline tallies, open flags, and the
    # forecast's targets and tallies
    with django_assert_num_queries(8):
        board = board_of(manager, team)
    assert sum(1 for row in board.rows if row.forecast) == count
    assert board.forecast_total.quota == Decimal(10000) * count
