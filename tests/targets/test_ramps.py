"""Ramp curves: targets count at the ramp's percent, day by day in the rep's calendar."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.periods import dates_between, work_days_in
from targets.attainment import attainment_for_rep
from targets.models import RampChange, RampChangeKind, RepRamp
from targets.ramp_services import ramp_change, ramp_end
from targets.ramps import Ramp, RampStep, ramp_steps_check, ramp_steps_parse
from targets.services import target_set, targets_apply_template_to_new_reps
from tests import factories
from tests.scenarios import at

pytestmark = pytest.mark.django_db

FIFTY_SEVENTY_FIVE = [{"weeks": 4, "percent": 50}, {"weeks": 4, "percent": 75}]


def ramped_rep(*, zone="Europe/Athens", starts_on, steps=FIFTY_SEVENTY_FIVE):
    rep = factories.RepFactory(timezone=zone, start_date=starts_on)
    RepRamp.objects.create(rep=rep, starts_on=starts_on, steps=steps)
    return rep


def full_target(rep, slug, period, amount, since):
    target_set(
        rep=rep,
        metric=factories.metric(slug),
        period=period,
        amount=Decimal(amount),
        effective_from=since,
        by=None,
    )


# --- The curve ---------------------------------------------------------------------


def test_ramp_weeks_count_from_the_first_day_whatever_the_weekday():
    # Given a ramp that starts on a Wednesday, 50 % for 4 weeks then 75 % for 4
    ramp = Ramp(dt.date(2026, 10, 28), (RampStep(4, 50), RampStep(4, 75)))

    # Then week 1 runs Wednesday to Tuesday, across the month's end
    assert ramp.week_on(dt.date(2026, 10, 27)) is None
    assert ramp.week_on(dt.date(2026, 10, 28)) == 1
    assert ramp.week_on(dt.date(2026, 11, 3)) == 1
    assert ramp.week_on(dt.date(2026, 11, 4)) == 2
    assert ramp.weeks == 8
    # and the full targets begin the day after week 8
    assert ramp.full_from == dt.date(2026, 12, 23)
    assert ramp.week_on(dt.date(2026, 12, 22)) == 8
    assert ramp.week_on(dt.date(2026, 12, 23)) is None
    assert ramp.percent_on(dt.date(2026, 11, 24)) == 50
    assert ramp.percent_on(dt.date(2026, 11, 25)) == 75
    assert ramp.percent_on(dt.date(2026, 12, 23)) == 100


def test_a_ramp_ended_early_counts_in_full_from_that_day():
    ramp = Ramp(
        dt.date(2026, 10, 28),
        (RampStep(4, 50), RampStep(4, 75)),
        ended_on=dt.date(2026, 11, 10),
    )
    assert ramp.full_from == dt.date(2026, 11, 10)
    assert ramp.percent_on(dt.date(2026, 11, 9)) == 50
    assert ramp.percent_on(dt.date(2026, 11, 10)) == 100
    assert [piece.end for piece in ramp.pieces] == [dt.date(2026, 11, 9)]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([{"weeks": 0, "percent": 50}], "at least one week"),
        ([{"weeks": 4, "percent": 100}], "1 to 99 percent"),
        ([{"weeks": 4, "percent": 0}], "1 to 99 percent"),
        (
            [{"weeks": 4, "percent": 75}, {"weeks": 4, "percent": 50}],
            "more than the one before",
        ),
        ([{"weeks": 53, "percent": 50}], "at most 52 weeks"),
        ([{"days": 4}], "steps of weeks and a percent"),
    ],
)
def test_a_ramp_with_a_bad_step_is_refused_with_a_reason(steps, message):
    with pytest.raises(ValidationError, match=message):
        ramp_steps_check(steps)


# --- Attainment in the rep's calendar ------------------------------------------------


def test_a_monthly_quota_across_a_month_boundary_counts_each_day_at_its_percent():
    # Given a rep in Athens whose ramp began on Wednesday 28 October (50 % for four
    # weeks to 24 November, then 75 %), with a €20,000 monthly quota
    rep = ramped_rep(starts_on=dt.date(2026, 10, 28))
    full_target(rep, "revenue", "month", 20000, dt.date(2026, 10, 28))
    now = at("Europe/Athens", 2026, 12, 5, 12)
    work_days = frozenset(rep.work_days)

    # When November's and October's attainment is read
    november = attainment_for_rep(
        rep=rep, period="month", on=dt.date(2026, 11, 1), now=now
    )
    october = attainment_for_rep(
        rep=rep, period="month", on=dt.date(2026, 10, 1), now=now
    )

    # Then each work day counts its share of the month at that day's percent
    def defined(first, last, month_day):
        per_day = Decimal(20000) / work_days_in(
            period="month", on=month_day, work_days=work_days
        )
        ramp = Ramp(rep.start_date, (RampStep(4, 50), RampStep(4, 75)))
        return sum(
            per_day * ramp.percent_on(day) / 100
            for day in dates_between(first, last)
            if day.isoweekday() in work_days
        )

    expected_november = defined(
        dt.date(2026, 11, 1), dt.date(2026, 11, 30), dt.date(2026, 11, 1)
    )
    expected_october = defined(
        dt.date(2026, 10, 28), dt.date(2026, 10, 31), dt.date(2026, 10, 1)
    )
    assert november.for_metric("revenue").target == expected_november.quantize(
        Decimal("0.01")
    )
    assert october.for_metric("revenue").target == expected_october.quantize(
        Decimal("0.01")
    )
    # (17 of November's 21 work days at 50 %, 4 at 75 %: 11.5 / 21 of €20,000)
    assert november.for_metric("revenue").target == Decimal("10952.38")
    assert november.ramp.week_on(dt.date(2026, 11, 30)) == 5


def test_a_weekly_target_in_a_week_that_changes_step_counts_each_day_at_its_percent():
    # Given 5 appointments a week, and a ramp whose 50 % ends on Tuesday 24 November
    rep = ramped_rep(starts_on=dt.date(2026, 10, 28))
    full_target(rep, "appointments", "week", 5, dt.date(2026, 10, 28))

    # When the week of Monday 23 November is read
    week = attainment_for_rep(
        rep=rep,
        period="week",
        on=dt.date(2026, 11, 23),
        now=at("Europe/Athens", 2026, 11, 30, 9),
    )

    # Then two days count at 50 % and three at 75 %: 5/5 × (2 × 0.5 + 3 × 0.75) = 3.25
    assert week.for_metric("appointments").target == Decimal(3)


def test_a_rep_in_kiritimati_is_in_their_own_ramp_week_before_utc_is():
    # Given a rep in Kiritimati (UTC+14) who starts on Monday 2 November with 25 calls a
    # day, on a ramp of 50 % for four weeks and 75 % for four more
    rep = ramped_rep(zone="Pacific/Kiritimati", starts_on=dt.date(2026, 11, 2))
    full_target(rep, "calls", "day", 25, dt.date(2026, 11, 2))

    # When it is Sunday 1 November 10:00 in UTC: already Monday 2 November there
    first_morning = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC)
    today = rep.local_date(first_morning)
    day_one = attainment_for_rep(rep=rep, period="day", on=today, now=first_morning)

    # Then it is ramp week 1 and today's target is half of 25, rounded: 13
    assert today == dt.date(2026, 11, 2)
    assert day_one.ramp.week_on(today) == 1
    assert day_one.for_metric("calls").target == 13

    # And on Sunday 29 November 10:00 UTC (Monday 30 November there) week 5 has begun:
    # 75 % of 25, while UTC's date still lies in week 4
    week_five = dt.datetime(2026, 11, 29, 10, 0, tzinfo=dt.UTC)
    today = rep.local_date(week_five)
    day = attainment_for_rep(rep=rep, period="day", on=today, now=week_five)
    assert day.ramp.week_on(today) == 5
    assert day.ramp.week_on(week_five.date()) == 4
    assert day.for_metric("calls").target == 19


def test_a_rep_without_a_ramp_has_the_full_targets():
    rep = factories.RepFactory(start_date=dt.date(2026, 11, 2))
    full_target(rep, "calls", "day", 25, dt.date(2026, 11, 2))
    day = attainment_for_rep(
        rep=rep,
        period="day",
        on=dt.date(2026, 11, 2),
        now=at("Europe/Athens", 2026, 11, 2, 9),
    )
    assert day.ramp is None
    assert day.for_metric("calls").target == 25


# --- Starting and ending a ramp ------------------------------------------------------


def test_a_template_with_a_ramp_gives_each_new_rep_their_ramp_with_its_reason():
    # Given the standard template with a 50 %/75 % ramp, and a new rep starting Monday
    template = factories.standard_template()
    template.ramp_steps = FIFTY_SEVENTY_FIVE
    template.save()
    rep = factories.RepFactory(start_date=dt.date(2026, 11, 2))

    # When the template is applied at onboarding
    targets_apply_template_to_new_reps(
        reps=[rep], template=template, by=None, now=at("Europe/Athens", 2026, 10, 30, 9)
    )

    # Then the rep's ramp starts on their start date with the template's steps
    ramp = RepRamp.objects.get(rep=rep)
    assert (ramp.starts_on, ramp.steps) == (dt.date(2026, 11, 2), FIFTY_SEVENTY_FIVE)
    (change,) = RampChange.objects.filter(rep=rep)
    assert change.kind == RampChangeKind.STARTED
    assert change.reason == "From the template “Standard rep”."
    # and the first day's calls target is half of 25
    day = attainment_for_rep(
        rep=rep,
        period="day",
        on=dt.date(2026, 11, 2),
        now=at("Europe/Athens", 2026, 11, 2, 9),
    )
    assert day.for_metric("calls").target == 13


def test_a_manager_ends_a_ramp_early_with_a_reason_the_rep_is_told():
    rep = ramped_rep(starts_on=dt.date(2026, 11, 2))
    full_target(rep, "calls", "day", 25, dt.date(2026, 11, 2))
    now = at("Europe/Athens", 2026, 11, 11, 9)

    change = ramp_end(
        rep=rep, by=rep.team.manager, reason="Ready for full targets", now=now
    )

    assert change.kind == RampChangeKind.ENDED
    assert change.ended_on == dt.date(2026, 11, 11)
    assert RepRamp.objects.get(rep=rep).ended_on == dt.date(2026, 11, 11)
    assert rep.notifications.get().body == "Ready for full targets"
    # the days before keep their ramp; from today the full target counts
    before = attainment_for_rep(
        rep=rep, period="day", on=dt.date(2026, 11, 10), now=now
    )
    after = attainment_for_rep(rep=rep, period="day", on=dt.date(2026, 11, 11), now=now)
    assert (before.for_metric("calls").target, after.for_metric("calls").target) == (
        13,
        25,
    )


def test_ending_a_ramp_needs_a_reason_and_the_rep_s_manager():
    rep = ramped_rep(starts_on=dt.date(2026, 11, 2))
    now = at("Europe/Athens", 2026, 11, 11, 9)
    with pytest.raises(ValidationError) as error:
        ramp_end(rep=rep, by=rep.team.manager, reason="  ", now=now)
    assert "reason" in error.value.message_dict
    other_manager = factories.ManagerFactory()
    with pytest.raises(PermissionDenied):
        ramp_end(rep=rep, by=other_manager, reason="Because", now=now)
    assert not RampChange.objects.filter(rep=rep).exists()


def test_a_ramp_that_is_over_cannot_be_ended_again():
    rep = ramped_rep(starts_on=dt.date(2026, 1, 5))
    with pytest.raises(ValidationError, match="not on a ramp"):
        ramp_end(
            rep=rep,
            by=rep.team.manager,
            reason="Done",
            now=at("Europe/Athens", 2026, 11, 11, 9),
        )


def test_a_manager_lengthens_a_running_ramp_with_a_reason():
    # Given a rep in ramp week 2 (50 % × 4 weeks, 75 % × 4)
    rep = ramped_rep(starts_on=dt.date(2026, 11, 2))
    full_target(rep, "calls", "day", 25, dt.date(2026, 11, 2))
    now = at("Europe/Athens", 2026, 11, 11, 9)

    # When the manager gives the 75 % step six weeks instead of four
    change = ramp_change(
        rep=rep,
        steps=[{"weeks": 4, "percent": 50}, {"weeks": 6, "percent": 75}],
        by=rep.team.manager,
        reason="A longer run-in after the holidays",
        now=now,
    )

    # Then the ramp lasts ten weeks, the change keeps its reason, the rep is told
    ramp = RepRamp.objects.get(rep=rep).curve
    assert (ramp.weeks, ramp.full_from) == (10, dt.date(2027, 1, 11))
    assert (change.kind, change.reason) == (
        RampChangeKind.CHANGED,
        "A longer run-in after the holidays",
    )
    assert rep.notifications.get().title == "Your ramp has changed"


def test_a_change_that_would_rewrite_days_already_past_is_refused():
    rep = ramped_rep(starts_on=dt.date(2026, 11, 2))
    with pytest.raises(ValidationError, match="keep their percent"):
        ramp_change(
            rep=rep,
            steps=[{"weeks": 4, "percent": 60}, {"weeks": 4, "percent": 75}],
            by=rep.team.manager,
            reason="More from the start",
            now=at("Europe/Athens", 2026, 11, 11, 9),
        )
    assert RepRamp.objects.get(rep=rep).steps == FIFTY_SEVENTY_FIVE


def test_a_ramp_is_written_as_weeks_x_percent():
    assert ramp_steps_parse("4x50, 4 x 75%") == FIFTY_SEVENTY_FIVE
    with pytest.raises(ValidationError, match="weeks x percent"):
        ramp_steps_parse("four weeks at half")


def test_the_ramp_s_first_reason_is_written_in_the_rep_s_own_language():
    template = factories.standard_template()
    template.ramp_steps = FIFTY_SEVENTY_FIVE
    template.save()
    rep = factories.RepFactory(start_date=dt.date(2026, 11, 2), language="el")

    targets_apply_template_to_new_reps(
        reps=[rep], template=template, by=None, now=at("Europe/Athens", 2026, 10, 30, 9)
    )

    reason = RampChange.objects.get(rep=rep).reason
    assert "Standard rep" in reason and "From the template" not in reason
