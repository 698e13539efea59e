"""targets/forecast.py: the running month's projection on fixed data with known answers.

November 2026 starts on a Sunday; Monday to Friday are work days unless a test says
otherwise. Each test writes the day tallies itself, so the arithmetic is visible.
"""

import datetime as dt
from decimal import Decimal

import pytest

from activities.periods import dates_between
from targets.forecast import FORECAST_WORK_DAYS, MonthForecast, month_forecasts
from tests import factories
from tests.scenarios import QUOTA, day_tallies, rep_on_a_deals_team, rep_with_quota

pytestmark = pytest.mark.django_db

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
DEC = (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def work_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [day for day in dates_between(start, end) if day.isoweekday() <= 5]


def forecast_of(rep, **kwargs) -> MonthForecast:
    return month_forecasts([rep], **kwargs)[rep.pk]


# The last 20 work days before Monday 16 November: 19 October to 13 November.
WINDOW_16_NOV = work_days(dt.date(2026, 10, 19), dt.date(2026, 11, 13))


def test_the_window_is_the_last_twenty_work_days():
    assert len(WINDOW_16_NOV) == FORECAST_WORK_DAYS == 20


def test_an_uneven_rep_is_projected_with_a_range_around_the_expected_close(team):
    # Given €0 and €1,000 on alternate work days: a rate of €500 a work day with a
    # standard deviation of €500, and €5,000 banked on 2–13 November
    rep = rep_with_quota(team, "Europe/Athens")
    day_tallies(
        rep,
        "revenue",
        {day: 1000 * (index % 2) for index, day in enumerate(WINDOW_16_NOV)},
    )
    # When the month is forecast on Monday 16 November (11 work days left)
    forecast = forecast_of(rep, today=dt.date(2026, 11, 16))
    # Then expected = 5,000 + 11 × 500, and the range is ± √11 × 500 = ± 1,658.31…
    assert forecast == MonthForecast(
        metric_slug="revenue",
        month=NOV,
        actual=Decimal(5000),
        low=Decimal("8841.68"),
        expected=Decimal("10500.00"),
        high=Decimal("12158.32"),
        quota=QUOTA,
    )
    assert not forecast.at_risk


def test_a_steady_slow_rep_has_no_spread_and_is_at_risk(team):
    # Given €200 every work day
    rep = rep_with_quota(team, "Europe/Athens")
    day_tallies(rep, "revenue", dict.fromkeys(WINDOW_16_NOV, 200))
    forecast = forecast_of(rep, today=dt.date(2026, 11, 16))
    # Then 2,000 banked + 11 × 200, with no spread, is short of €10,000
    assert (forecast.actual, forecast.low, forecast.expected, forecast.high) == (
        Decimal(2000),
        Decimal("4200.00"),
        Decimal("4200.00"),
        Decimal("4200.00"),
    )
    assert forecast.at_risk


def test_an_upper_end_that_reaches_quota_is_not_at_risk(team):
    # Given €0 and €900 alternately: rate 450, deviation 450, €4,500 banked
    rep = rep_with_quota(team, "Europe/Athens")
    day_tallies(
        rep,
        "revenue",
        {day: 900 * (index % 2) for index, day in enumerate(WINDOW_16_NOV)},
    )
    forecast = forecast_of(rep, today=dt.date(2026, 11, 16))
    # Then expected 4,500 + 11 × 450 = 9,450 falls short, but 9,450 + √11 × 450
    # = 10,942.49 reaches the €10,000 quota: not at risk
    assert (forecast.expected, forecast.high) == (
        Decimal("9450.00"),
        Decimal("10942.49"),
    )
    assert forecast.expected < forecast.quota <= forecast.high
    assert not forecast.at_risk


def test_today_and_days_off_in_the_window(team):
    # Given €300 on a Saturday in the window and €4,000 logged this morning
    rep = rep_with_quota(team, "Europe/Athens")
    day_tallies(rep, "revenue", dict.fromkeys(WINDOW_16_NOV, 100))
    day_tallies(
        rep, "revenue", {dt.date(2026, 11, 7): 300, dt.date(2026, 11, 16): 4000}
    )
    forecast = forecast_of(rep, today=dt.date(2026, 11, 16))
    # Then the Saturday counts in the rate (2,300 / 20 work days) and in the banked
    # actual; today's entries wait for tomorrow's forecast
    assert forecast.actual == Decimal(1300)
    assert forecast.expected == Decimal("1300") + Decimal("115") * 11


def test_the_first_morning_of_the_month_projects_from_last_months_work_days(team):
    # Given €500 on every work day of November, and a deal at 08:00 on 1 December
    rep = rep_with_quota(team, "Europe/Athens")
    day_tallies(rep, "revenue", dict.fromkeys(work_days(*NOV), 500))
    day_tallies(rep, "revenue", {dt.date(2026, 12, 1): 2500})
    # When the month is forecast on its first morning
    forecast = forecast_of(
        rep, now=dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC)
    )  # 08:00 in Athens
    # Then nothing is banked yet and all 23 work days of December are to play
    assert forecast.month == DEC
    assert forecast.actual == 0
    assert forecast.low == forecast.expected == forecast.high == Decimal("11500.00")
    assert not forecast.at_risk


def test_kiritimati_and_honolulu_each_forecast_their_own_month(team):
    # At 09:00 UTC on 1 December it is 23:00 on Tuesday 1 December in Kiritimati
    # and 23:00 on Monday 30 November in Honolulu.
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    kiritimati = rep_with_quota(team, "Pacific/Kiritimati")
    honolulu = rep_with_quota(team, "Pacific/Honolulu")
    # Both: €100 every work day of November, but €300 on the 30th in Kiritimati
    # (yesterday there) and €5,000 on the 30th in Honolulu (today there); Kiritimati
    # also sold €400 on its today, 1 December.
    november = dict.fromkeys(work_days(*NOV), 100)
    day_tallies(
        kiritimati,
        "revenue",
        november | {dt.date(2026, 11, 30): 300, dt.date(2026, 12, 1): 400},
    )
    day_tallies(honolulu, "revenue", november | {dt.date(2026, 11, 30): 5000})

    forecasts = month_forecasts([kiritimati, honolulu], now=now)

    # Kiritimati is in December, nothing banked yet; its window is 3–30 November
    # (19 × 100 + 300: rate 110, variance 1,900), all 23 work days are to play.
    # Expected 23 × 110 = 2,530; spread √(23 × 1,900) = 209.04…
    assert forecasts[kiritimati.pk] == MonthForecast(
        metric_slug="revenue",
        month=DEC,
        actual=Decimal(0),
        low=Decimal("2320.95"),
        expected=Decimal("2530.00"),
        high=Decimal("2739.05"),
        quota=QUOTA,
    )
    # Honolulu is still in November: 2–27 November banked (20 × 100), its window is
    # those 20 days, one work day left (today, whose €5,000 is not banked yet).
    assert forecasts[honolulu.pk] == MonthForecast(
        metric_slug="revenue",
        month=NOV,
        actual=Decimal(2000),
        low=Decimal("2100.00"),
        expected=Decimal("2100.00"),
        high=Decimal("2100.00"),
        quota=QUOTA,
    )
    assert forecasts[kiritimati.pk].at_risk and forecasts[honolulu.pk].at_risk


def test_a_rep_without_quota_is_projected_but_never_at_risk(team):
    rep = factories.RepFactory(team=team)
    day_tallies(rep, "revenue", dict.fromkeys(WINDOW_16_NOV, 200))
    forecast = forecast_of(rep, today=dt.date(2026, 11, 16))
    assert forecast.quota is None
    assert forecast.expected == Decimal("4200.00")
    assert not forecast.at_risk


def test_a_deals_quota_is_forecast_in_whole_deals(team):
    # Given a deals-quota rep (3 a month) who closes a deal every other work day:
    # rate 0.5, deviation 0.5, 5 banked, 11 work days left
    rep = rep_on_a_deals_team(team)
    day_tallies(
        rep, "deals", {day: index % 2 for index, day in enumerate(WINDOW_16_NOV)}
    )
    forecast = forecast_of(rep, today=dt.date(2026, 11, 16))
    # Then 10.5 ± 1.66: low rounded down, expected to nearest, high up
    assert (forecast.metric_slug, forecast.quota) == ("deals", Decimal(3))
    assert (forecast.low, forecast.expected, forecast.high) == (
        Decimal(8),
        Decimal(11),
        Decimal(13),
    )


def test_a_new_reps_rate_starts_on_their_start_date(team):
    # Given a rep who started on Thursday 12 November with €1,000 on each of two days
    rep = rep_with_quota(team, "Europe/Athens", start_date=dt.date(2026, 11, 12))
    day_tallies(rep, "revenue", dict.fromkeys(work_days(*NOV), 1000))
    forecast = forecast_of(rep, today=dt.date(2026, 11, 16))
    # Then the rate is theirs over 2 days (1,000), not diluted by the days before
    assert forecast.expected == Decimal("10000") + Decimal("1000") * 11


def test_a_rep_with_nothing_to_project_from_has_no_forecast(team):
    starts_today = rep_with_quota(
        team, "Europe/Athens", start_date=dt.date(2026, 11, 16)
    )
    no_work_days = rep_with_quota(team, "Europe/Athens", work_days=[])
    forecasts = month_forecasts(
        [starts_today, no_work_days], today=dt.date(2026, 11, 16)
    )
    assert forecasts == {}


def test_a_rep_whose_window_starts_after_the_first_still_banks_the_whole_month(team):
    # On 30 November the 20 work days go back to 2 November; a sale on Sunday the 1st
    # is outside the window but in the month.
    rep = rep_with_quota(team, "Europe/Athens")
    day_tallies(rep, "revenue", {dt.date(2026, 11, 1): 700})
    forecast = forecast_of(rep, today=dt.date(2026, 11, 30))
    assert forecast.actual == Decimal(700)
    assert forecast.expected == Decimal("700.00")


@pytest.mark.parametrize("count", [2, 12])
def test_forecasts_cost_the_same_queries_for_any_number_of_reps(
    team, django_assert_num_queries, count
):
    reps = [rep_with_quota(team, "Europe/Athens") for _ in range(count)]
    for rep in reps:
        day_tallies(rep, "revenue", dict.fromkeys(WINDOW_16_NOV, 200))
    reps = list(
        type(reps[0]).objects.filter(pk__in=[r.pk for r in reps]).select_related("team")
    )
    # metrics, targets, tallies
    with django_assert_num_queries(3):
        forecasts = month_forecasts(reps, today=dt.date(2026, 11, 16))
    assert len(forecasts) == count
    # A caller that holds the metrics saves one
    metrics = [factories.metric("revenue")]
    with django_assert_num_queries(2):
        month_forecasts(reps, today=dt.date(2026, 11, 16), metrics=metrics)
    with django_assert_num_queries(0):
        assert month_forecasts([], today=dt.date(2026, 11, 16)) == {}
