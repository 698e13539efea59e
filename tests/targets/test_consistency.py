"""targets/consistency.py: work days with activity and own-day streaks, in the rep's
own calendar, read from the day tallies."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from activities.models import DayTally
from targets.consistency import Consistency, WorkDays, consistency_for
from tests import factories
from tests.targets.test_dashboard import log

# Wednesday 18 March 2026, noon UTC.
NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)


def active_on(rep, *days, slug="calls"):
    """Tallies for these local days (what every entry's write leaves behind)."""
    DayTally.objects.bulk_create(
        DayTally(rep=rep, metric=factories.metric(slug), local_date=day, quantity=3)
        for day in days
    )


def march(*days):
    return [dt.date(2026, 3, day) for day in days]


@pytest.fixture
def weekday_rep(team):
    return factories.RepFactory(
        team=team, timezone="UTC", work_days=[1, 2, 3, 4, 5], start_date=None
    )


def test_a_month_of_work_days_counts_active_days_and_streaks(weekday_rep):
    # Given a Monday-to-Friday rep who worked 2–10 March, missed Wednesday the 11th,
    # worked 12, 13, 16 and 17 March (and logged a little on Saturday the 14th)
    active_on(weekday_rep, *march(2, 3, 4, 5, 6, 9, 10, 12, 13, 14, 16, 17))
    # When they look on Wednesday the 18th before logging anything
    result = consistency_for(rep=weekday_rep, now=NOW)
    # Then 11 of the 12 work days so far had activity (today is not a miss yet, the
    # Saturday is neither a work day nor a break)
    assert (result.month.active, result.month.elapsed) == (11, 12)
    assert result.current_streak == 4  # 12, 13, (weekend), 16, 17
    assert result.best_streak == 7  # 2–10 March
    # And February's work days count in the 90 days, not in the month
    assert result.window.elapsed > result.month.elapsed
    assert result.window.active == 11


def test_today_counts_once_it_has_activity(weekday_rep):
    active_on(weekday_rep, *march(16, 17))
    before = consistency_for(rep=weekday_rep, now=NOW)
    log(weekday_rep, "calls", dt.date(2026, 3, 18), 1, hour=9)
    after = consistency_for(rep=weekday_rep, now=NOW)
    assert (before.month.active, before.month.elapsed) == (2, 12)
    assert (after.month.active, after.month.elapsed) == (3, 13)
    assert (before.current_streak, after.current_streak) == (2, 3)


def test_a_day_off_before_today_does_not_break_the_streak(weekday_rep):
    # Given Thursday and Friday worked, then the weekend off
    active_on(weekday_rep, *march(12, 13))
    # When they look on Monday morning, nothing logged yet
    monday = dt.datetime(2026, 3, 16, 7, 0, tzinfo=dt.UTC)
    result = consistency_for(rep=weekday_rep, now=monday)
    # Then the streak still stands
    assert result.current_streak == 2


def test_a_missed_work_day_breaks_the_streak(weekday_rep):
    active_on(weekday_rep, *march(12, 13, 16))  # Tuesday the 17th missed
    result = consistency_for(rep=weekday_rep, now=NOW)
    assert (result.current_streak, result.best_streak) == (0, 3)


def test_a_rep_in_kiritimati_has_their_own_today(team):
    # Given a rep in Kiritimati (UTC+14): at 11:00 UTC on the 18th it is 01:00 on
    # Thursday the 19th there
    rep = factories.RepFactory(
        team=team, timezone="Pacific/Kiritimati", work_days=[1, 2, 3, 4, 5]
    )
    now = dt.datetime(2026, 3, 18, 11, 0, tzinfo=dt.UTC)
    active_on(rep, *march(16, 17, 18))
    assert consistency_for(rep=rep, now=now).current_streak == 3
    assert consistency_for(rep=rep, now=now).month.elapsed == 13  # 2–18 March
    # When they log at 00:30 their time (10:30 UTC on the 18th)
    log(rep, "calls", dt.date(2026, 3, 19), 1, hour=0)
    result = consistency_for(rep=rep, now=now)
    # Then it is their Thursday that counts
    assert result.current_streak == 4
    assert (result.month.active, result.month.elapsed) == (4, 14)


def test_a_sunday_to_thursday_week(team):
    # Given a rep who works Sunday to Thursday
    rep = factories.RepFactory(
        team=team, timezone="Asia/Jerusalem", work_days=[7, 1, 2, 3, 4]
    )
    # Who worked Thursday the 12th, logged on Friday the 13th (a day off), rested
    # Saturday, and worked Sunday to Tuesday
    active_on(rep, *march(12, 13, 15, 16, 17))
    result = consistency_for(rep=rep, now=NOW)
    # Then Friday and Saturday neither break nor extend it, and Sunday is a work day
    assert result.current_streak == 4  # 12, 15, 16, 17
    # And March's work days so far are Sun–Thu from Sunday the 1st to the 17th
    assert result.month.elapsed == 13
    assert result.month.active == 4


def test_work_days_before_the_start_date_do_not_count(team):
    rep = factories.RepFactory(
        team=team,
        timezone="UTC",
        work_days=[1, 2, 3, 4, 5],
        start_date=dt.date(2026, 3, 12),
    )
    active_on(rep, *march(12, 13, 16, 17))
    result = consistency_for(rep=rep, now=NOW)
    assert (result.month.active, result.month.elapsed) == (4, 4)
    assert (result.window.active, result.window.elapsed) == (4, 4)
    assert result.current_streak == result.best_streak == 4


def test_an_emptied_tally_is_not_activity(weekday_rep):
    active_on(weekday_rep, *march(16, 17))
    DayTally.objects.filter(local_date=dt.date(2026, 3, 17)).update(quantity=0)
    result = consistency_for(rep=weekday_rep, now=NOW)
    assert result.current_streak == 0 and result.month.active == 1


def test_a_rep_without_work_days_has_nothing_to_count(team):
    rep = factories.RepFactory(team=team, work_days=[])
    result = consistency_for(rep=rep, now=NOW)
    assert not result.has_work_days
    assert (result.current_streak, result.best_streak) == (0, 0)


@pytest.mark.parametrize(("days", "active"), [(5, 3), (400, 64)])
def test_one_query_whatever_the_history(
    weekday_rep, django_assert_num_queries, days, active
):
    # Given activity on every one of the last `days` days, today included
    today = dt.date(2026, 3, 18)
    active_on(weekday_rep, *(today - dt.timedelta(days=back) for back in range(days)))
    with django_assert_num_queries(1):
        result = consistency_for(rep=weekday_rep, now=NOW)
    # Then the streak runs to today, counted within the 90 days (64 work days)
    assert result.window.active == result.current_streak == active


def test_the_first_morning_of_a_month_says_no_work_days_are_behind_yet():
    first_morning = Consistency(
        month=WorkDays(elapsed=0, active=0),
        window=WorkDays(elapsed=60, active=60),
        current_streak=28,
        best_streak=28,
    )
    page = render_to_string(
        "targets/dashboard/_consistency.html", {"consistency": first_morning}
    )
    assert "No work days behind you yet this month · " in page
    assert "streak 28 days" in page
    assert "0 of 0" not in page
