"""targets/attainment.py: attainment from tallies, in local calendars, with history."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import DayTally
from activities.services import activity_log, deal_log
from targets.selectors import (
    attainment_for_rep,
    attainment_for_team,
    period_bounds,
)
from targets.services import target_set
from tests import factories

UTC = dt.UTC
WEDNESDAY = dt.date(2026, 3, 11)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)


@pytest.fixture
def utc_rep(team):
    """A rep in UTC working Monday to Friday, 09:00-17:00."""
    return factories.RepFactory(team=team, timezone="UTC")


def set_target(rep, slug, period, amount, since, *, by=None, now=None):
    return target_set(
        rep=rep,
        metric=factories.metric(slug),
        period=period,
        amount=amount,
        effective_from=since,
        by=by,
        now=now,
    )


def log_calls(rep, day, count, hour=10):
    moment = at(day, hour)
    activity_log(
        rep=rep, metric="calls", quantity=count, occurred_at=moment, now=moment
    )


@pytest.mark.parametrize(
    ("period", "on", "bounds"),
    [
        ("day", dt.date(2026, 3, 11), (dt.date(2026, 3, 11), dt.date(2026, 3, 11))),
        ("week", dt.date(2026, 3, 11), (dt.date(2026, 3, 9), dt.date(2026, 3, 15))),
        ("week", dt.date(2027, 1, 1), (dt.date(2026, 12, 28), dt.date(2027, 1, 3))),
        ("month", dt.date(2028, 2, 10), (dt.date(2028, 2, 1), dt.date(2028, 2, 29))),
    ],
)
def test_period_bounds_are_a_day_an_iso_week_or_a_month(period, on, bounds):
    assert period_bounds(period=period, on=on) == bounds


def test_a_weeks_daily_target_is_the_amount_times_work_days(utc_rep):
    set_target(utc_rep, "calls", "day", 25, dt.date(2026, 1, 1))
    week = attainment_for_rep(
        rep=utc_rep, period="week", on=WEDNESDAY, now=at(WEDNESDAY, 20)
    )
    assert week.for_metric("calls").target == Decimal(125)
    # A rep who works four days a week has four days' worth
    utc_rep.work_days = [1, 2, 3, 4]
    week = attainment_for_rep(
        rep=utc_rep, period="week", on=WEDNESDAY, now=at(WEDNESDAY, 20)
    )
    assert week.for_metric("calls").target == Decimal(100)


def test_a_daily_target_does_not_apply_on_a_day_off(utc_rep):
    set_target(utc_rep, "calls", "day", 25, dt.date(2026, 1, 1))
    saturday = dt.date(2026, 3, 14)
    day = attainment_for_rep(rep=utc_rep, period="day", on=saturday, now=at(saturday))
    calls = day.for_metric("calls")
    assert (calls.target, calls.percent, calls.status) == (None, None, "no_target")


def test_changing_a_daily_target_mid_week_leaves_last_weeks_attainment_as_it_was(
    utc_rep, manager
):
    # Given 25 calls a day since January and 110 calls last week (of 125)
    set_target(utc_rep, "calls", "day", 25, dt.date(2026, 1, 1))
    last_week = dt.date(2026, 3, 2)
    for offset in range(5):
        log_calls(utc_rep, last_week + dt.timedelta(days=offset), 22)
    before = attainment_for_rep(
        rep=utc_rep, period="week", on=last_week, now=at(WEDNESDAY)
    ).for_metric("calls")
    # When the manager raises the target to 40 from this Wednesday
    set_target(utc_rep, "calls", "day", 40, WEDNESDAY, by=manager, now=at(WEDNESDAY))
    # Then last week still reads 110 of 125, behind
    after = attainment_for_rep(
        rep=utc_rep, period="week", on=last_week, now=at(WEDNESDAY)
    ).for_metric("calls")
    assert before == after
    assert (after.target, after.actual, after.percent, after.status) == (
        Decimal(125),
        Decimal(110),
        88,
        "behind",
    )
    # And this week counts two days at 25 and three at 40
    this_week = attainment_for_rep(
        rep=utc_rep, period="week", on=WEDNESDAY, now=at(WEDNESDAY)
    ).for_metric("calls")
    assert this_week.target == Decimal(2 * 25 + 3 * 40)


@pytest.mark.parametrize(
    ("calls", "hour", "status", "percent"),
    [
        (25, 10, "met", 100),
        (30, 10, "met", 120),
        (13, 13, "on_pace", 52),
        (12, 13, "on_pace", 48),  # the work day is not over: not behind yet
        (0, 8, "on_pace", 0),  # the work day has not started
        (24, 17, "behind", 96),  # the work hours are over, one call short
    ],
)
def test_status_is_met_on_pace_or_behind(utc_rep, calls, hour, status, percent):
    set_target(utc_rep, "calls", "day", 25, dt.date(2026, 1, 1))
    if calls:
        log_calls(utc_rep, WEDNESDAY, calls, hour=min(hour, 8))
    today = attainment_for_rep(
        rep=utc_rep, period="day", on=WEDNESDAY, now=at(WEDNESDAY, hour)
    )
    item = today.for_metric("calls")
    assert (item.status, item.percent) == (status, percent)
    assert today.on_target is (status == "met")


def test_a_past_period_short_of_target_is_behind(utc_rep):
    set_target(utc_rep, "calls", "day", 25, dt.date(2026, 1, 1))
    log_calls(utc_rep, WEDNESDAY, 24)
    tomorrow = at(WEDNESDAY + dt.timedelta(days=1), 10)
    item = attainment_for_rep(
        rep=utc_rep, period="day", on=WEDNESDAY, now=tomorrow
    ).for_metric("calls")
    assert (item.actual, item.status) == (Decimal(24), "behind")


def test_revenue_is_the_sum_of_deals_against_the_monthly_quota(utc_rep):
    set_target(utc_rep, "revenue", "month", 20000, dt.date(2026, 1, 1))
    moment = at(WEDNESDAY)
    for amount in (Decimal("9000.00"), Decimal("3400.00")):
        deal_log(rep=utc_rep, title="Deal", amount=amount, closed_at=moment, now=moment)
    month = attainment_for_rep(rep=utc_rep, period="month", on=WEDNESDAY, now=moment)
    revenue = month.for_metric("revenue")
    assert (revenue.unit, revenue.target, revenue.actual, revenue.percent) == (
        "money",
        Decimal("20000.00"),
        Decimal("12400.00"),
        62,
    )
    assert month.for_metric("deals").actual == Decimal(2)
    emails = month.for_metric("emails")
    assert (emails.target, emails.status) == (None, "no_target")


def test_actuals_are_read_in_the_reps_own_calendar(team):
    # Given a rep in Kiritimati who called at 23:30 local on the 11th (09:30 UTC)
    rep = factories.RepFactory(team=team, timezone="Pacific/Kiritimati")
    moment = dt.datetime(2026, 3, 11, 9, 30, tzinfo=UTC)
    activity_log(rep=rep, metric="calls", occurred_at=moment, now=moment)
    # Then the call counts on the 11th and not on the 12th
    eleventh = attainment_for_rep(rep=rep, period="day", on=WEDNESDAY, now=moment)
    twelfth = attainment_for_rep(
        rep=rep, period="day", on=WEDNESDAY + dt.timedelta(days=1), now=moment
    )
    assert eleventh.for_metric("calls").actual == 1
    assert twelfth.for_metric("calls").actual == 0


def build_team(size: int, history_days: int):
    team = factories.TeamFactory()
    template = factories.standard_template()
    for index in range(size):
        rep = factories.RepFactory(team=team, timezone="UTC")
        for item in template.items.all():
            set_target(
                rep, item.metric.slug, item.period, item.amount, dt.date(2025, 1, 1)
            )
        for offset in range(history_days):
            day = WEDNESDAY - dt.timedelta(days=offset)
            log_calls(rep, day, 20 + index)
    return team


def test_team_attainment_takes_the_same_few_queries_whatever_size_or_history(
    django_assert_num_queries,
):
    small = build_team(size=1, history_days=1)
    large = build_team(size=5, history_days=40)
    for team in (small, large):
        # team members, metrics, targets, tallies
        with django_assert_num_queries(4):
            results = attainment_for_team(
                team=team, period="month", on=WEDNESDAY, now=at(WEDNESDAY, 18)
            )
    # March 1st to 11th: eleven days of 20 + index calls each
    assert sorted(r.for_metric("calls").actual for r in results) == [
        Decimal((20 + index) * 11) for index in range(5)
    ]
    # 22 work days in March 2026
    assert all(r.for_metric("calls").target == Decimal(25 * 22) for r in results)


FIRST_MONDAY = dt.date(2026, 6, 1)  # a Monday and the first of a month


def test_on_the_first_morning_of_a_period_nobody_is_behind(utc_rep):
    # Given daily, weekly and monthly targets, and nothing done yet
    set_target(utc_rep, "calls", "day", 25, dt.date(2026, 1, 1))
    set_target(utc_rep, "appointments", "week", 5, dt.date(2026, 1, 1))
    set_target(utc_rep, "revenue", "month", 20000, dt.date(2026, 1, 1))
    # When it is 11:00 on the first work day of the week and the month
    for period in ("day", "week", "month"):
        attainment = attainment_for_rep(
            rep=utc_rep, period=period, on=FIRST_MONDAY, now=at(FIRST_MONDAY, 11)
        )
        # Then no cell is behind: no work day of the period has elapsed
        assert {item.status for item in attainment.targeted} == {"on_pace"}, period


def test_behind_means_short_of_the_pace_of_the_work_days_elapsed(utc_rep):
    # Given 22,000 a month: 1,000 a work day (June 2026 has 22)
    set_target(utc_rep, "revenue", "month", 22000, dt.date(2026, 1, 1))
    wednesday = FIRST_MONDAY + dt.timedelta(days=2)

    def status(sold, hour):
        DayTally.objects.filter(rep=utc_rep).delete()
        DayTally.objects.create(
            rep=utc_rep,
            metric=factories.metric("revenue"),
            local_date=FIRST_MONDAY,
            quantity=1,
            amount=sold,
        )
        return (
            attainment_for_rep(
                rep=utc_rep, period="month", on=wednesday, now=at(wednesday, hour)
            )
            .for_metric("revenue")
            .status
        )

    # Then on Wednesday morning two work days have elapsed: 2,000 is the pace
    assert status(2000, 10) == "on_pace"
    assert status(1999, 10) == "behind"
    # And once Wednesday's work hours are over, three days: 3,000
    assert status(2000, 18) == "behind"
    assert status(3000, 18) == "on_pace"
