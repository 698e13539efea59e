"""Scenarios: a new rep on a ramp is judged on the ramped targets, coached not planned."""

import datetime as dt
from decimal import Decimal

import pytest

from coaching.models import ImprovementPlan
from coaching.review import review_and_follow_up
from meetings.autonomy import autonomy_review
from targets.models import Flag, FlagKind, MonthResult
from tests import factories
from tests.scenarios import at, log_every_work_day, rep_on_ramp, sell

pytestmark = pytest.mark.django_db

STARTS = dt.date(2026, 10, 5)  # a Monday: ramp week 5 begins on Monday 2 November
REVIEW_AT = at("Europe/Athens", 2026, 11, 2, 7)


@pytest.fixture(autouse=True)
def _metrics(db):
    factories.standard_template()


def new_rep(team, *, ramp: bool = True):
    rep = rep_on_ramp(
        team,
        "Europe/Athens",
        starts_on=STARTS,
        calls=("day", 25),
        revenue=("month", 10000),
    )
    if not ramp:
        rep.ramp.delete()
    return rep


def test_a_rep_who_misses_the_ramped_targets_two_weeks_running_is_coached_not_planned(
    settings,
):
    # Given a new rep on a 50 % ramp who logs 5 calls a day (the ramp asks 13) and sells
    # €1,000 in October (the ramped quota is half of €10,000 from the 5th)
    settings.RAMP_MISSED_WEEKS = 2
    team = factories.TeamFactory()
    rep = new_rep(team)
    log_every_work_day(rep, "calls", 5, STARTS, dt.date(2026, 10, 30))
    sell(rep, 1000, at("Europe/Athens", 2026, 10, 20, 12))

    # When the review runs on the morning of ramp week 5, twice
    review_and_follow_up(rep_ids=[rep.pk], now=REVIEW_AT)
    review_and_follow_up(rep_ids=[rep.pk], now=REVIEW_AT + dt.timedelta(days=1))

    # Then one "behind on ramp" flag names ramp week 4 and the metric furthest behind
    # (revenue: nothing sold that week); the activity dip and November's forecast
    # against the ramped quota are flagged as for anyone
    assert sorted(Flag.objects.filter(rep=rep).values_list("kind", flat=True)) == [
        FlagKind.ACTIVITY_DIP,
        FlagKind.AT_RISK,
        FlagKind.RAMP_BEHIND,
    ]
    flag = Flag.objects.get(rep=rep, kind=FlagKind.RAMP_BEHIND)
    assert (flag.period_start, flag.period_end) == (
        dt.date(2026, 10, 26),
        dt.date(2026, 11, 1),
    )
    assert (flag.metric.slug, flag.actual, flag.percent) == ("revenue", 0, 0)
    # and no below-quota flag, no improvement plan, though the month was missed
    assert not Flag.objects.filter(rep=rep, kind=FlagKind.BELOW_QUOTA).exists()
    assert not ImprovementPlan.objects.filter(rep=rep).exists()
    assert MonthResult.objects.get(rep=rep).met is False
    # The manager hears of it, and it is on their needs-attention panel
    assert team.manager.notifications.filter(
        title__startswith="Behind on ramp:", url="/targets/attention/"
    ).exists()


def test_the_same_month_without_a_ramp_is_below_quota_with_a_plan(settings):
    # Given the same rep and numbers, without a ramp
    settings.RAMP_MISSED_WEEKS = 2
    team = factories.TeamFactory()
    rep = new_rep(team, ramp=False)
    log_every_work_day(rep, "calls", 5, STARTS, dt.date(2026, 10, 30))
    sell(rep, 1000, at("Europe/Athens", 2026, 10, 20, 12))

    review_and_follow_up(rep_ids=[rep.pk], now=REVIEW_AT)

    # Then the month is below quota and a plan opens; nothing is "behind on ramp"
    assert Flag.objects.filter(rep=rep, kind=FlagKind.BELOW_QUOTA).exists()
    assert not Flag.objects.filter(rep=rep, kind=FlagKind.RAMP_BEHIND).exists()
    assert ImprovementPlan.objects.filter(rep=rep).exists()


@pytest.mark.parametrize(
    ("good_until", "flagged"),
    [(dt.date(2026, 10, 23), False), (dt.date(2026, 10, 16), True)],
)
def test_only_missed_ramp_weeks_in_a_row_raise_the_flag(settings, good_until, flagged):
    # Given a rep with only a calls target who makes the ramped 13 a day until
    # `good_until` and 5 a day after it
    settings.RAMP_MISSED_WEEKS = 2
    team = factories.TeamFactory()
    rep = rep_on_ramp(team, "Europe/Athens", starts_on=STARTS, calls=("day", 25))
    log_every_work_day(rep, "calls", 13, STARTS, good_until)
    log_every_work_day(
        rep, "calls", 5, good_until + dt.timedelta(days=3), dt.date(2026, 10, 30)
    )

    review_and_follow_up(rep_ids=[rep.pk], now=REVIEW_AT)

    # Then one missed week is not yet a flag; two in a row are
    assert Flag.objects.filter(rep=rep, kind=FlagKind.RAMP_BEHIND).exists() is flagged


def test_a_rep_who_meets_the_ramped_targets_four_weeks_running_is_promoted(settings):
    # Given a new rep on a 50 % ramp who makes 13 calls each work day: the ramped
    # target (half of 25, rounded up), though not the full one
    settings.AUTONOMY_PROMOTION_WEEKS = 4
    team = factories.TeamFactory()
    rep = rep_on_ramp(team, "Europe/Athens", starts_on=STARTS, calls=("day", 25))
    log_every_work_day(rep, "calls", 13, STARTS, dt.date(2026, 10, 30))

    # When the autonomy review runs on the Monday of ramp week 5
    (change,) = autonomy_review(on=dt.date(2026, 11, 2), now=REVIEW_AT)

    # Then the rep moves up a level, with the reason recorded
    rep.refresh_from_db()
    assert (change.from_level, change.to_level) == ("new", "ramping")
    assert rep.autonomy_level == "ramping"
    assert change.reason == "On target 4 weeks in a row."


def test_the_same_calls_without_a_ramp_do_not_promote(settings):
    settings.AUTONOMY_PROMOTION_WEEKS = 4
    team = factories.TeamFactory()
    rep = rep_on_ramp(team, "Europe/Athens", starts_on=STARTS, calls=("day", 25))
    rep.ramp.delete()
    log_every_work_day(rep, "calls", 13, STARTS, dt.date(2026, 10, 30))

    assert autonomy_review(on=dt.date(2026, 11, 2), now=REVIEW_AT) == []


def test_the_diagnosis_aims_at_the_ramped_quota_of_the_next_month():
    # Given a rep on a ramp from 5 October with a €10,000 monthly quota: November's
    # work days are at 50 % to 1 November, then 75 % to 29 November, then in full
    from coaching.diagnosis.reading import next_quotas
    from coaching.diagnosis.windows import month_window

    team = factories.TeamFactory()
    rep = rep_on_ramp(team, "Europe/Athens", starts_on=STARTS, revenue=("month", 10000))
    window = month_window(month=dt.date(2026, 10, 1), days=30)

    # When the diagnosis reads the quota its back-solve aims at (November's)
    quotas = next_quotas(
        reps=[rep],
        windows={rep.pk: window},
        metrics={"revenue": factories.metric("revenue")},
    )

    # Then it is the ramped one: 20 of 21 work days at 75 %, one (the 30th) in full
    assert quotas[rep.pk].quantize(Decimal("0.01")) == Decimal("7619.05")


def chunk_queries(reps) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from targets.review import review_chunk

    with CaptureQueriesContext(connection) as queries:
        review_chunk(rep_ids=[rep.pk for rep in reps], now=REVIEW_AT)
    return len(queries)


def test_judging_ramps_costs_two_queries_a_chunk_whatever_its_size():
    # Given chunks of 3 and of 12 reps on ramps, missing them, and a chunk without ramps
    def chunk(size: int, *, ramp: bool):
        team = factories.TeamFactory()
        reps = [new_rep(team, ramp=ramp) for _ in range(size)]
        for rep in reps:
            log_every_work_day(
                rep, "calls", 5, dt.date(2026, 10, 19), dt.date(2026, 10, 30)
            )
        return reps

    small, large, plain = (
        chunk(3, ramp=True),
        chunk(12, ramp=True),
        chunk(3, ramp=False),
    )

    # Then the review reads the same number of queries for both sizes: the ramp weeks'
    # targets and tallies (two) more than without ramps
    assert chunk_queries(small) == chunk_queries(large)
    assert Flag.objects.filter(kind=FlagKind.RAMP_BEHIND).count() == 15
    assert chunk_queries(plain) + 2 == chunk_queries(chunk(3, ramp=True))
