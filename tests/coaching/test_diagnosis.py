"""The diagnosis on fixed data sets with known answers (coaching.diagnosis)."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from activities.metric_cache import metrics_in_order
from coaching.diagnosis import diagnose, diagnose_team, diagnoses_for
from tests import factories
from tests.coaching.diagnosis_data import GOOD, log_funnel, monthly_quota, team_of

pytestmark = pytest.mark.django_db

# The window: 3 Aug to 31 Oct 2026 (90 days, 65 work days Monday to Friday); November
# 2026, the next period, has 21 work days.
ON = dt.date(2026, 11, 1)
IN_WINDOW = dt.date(2026, 10, 15)


def english(diagnosis, **kwargs) -> str:
    with translation.override("en"):
        return diagnosis.sentence(**kwargs)


def test_the_issues_example_needs_1000_calls_and_48_a_work_day():
    # Given a rep with 500 calls, 100 connected, 20 appointments and 5 deals of €2,000
    # in the window, and a quota of €20,000 for November (21 work days)
    rep = factories.RepFactory(first_name="Eleni")
    log_funnel(
        rep,
        IN_WINDOW,
        calls=500,
        connected=100,
        appointments=20,
        deals=5,
        deal_amount=2000,
    )
    monthly_quota(rep, 20000)

    # When she is diagnosed
    diagnosis = diagnose(rep, on=ON)

    # Then at her rates: 10 deals, 40 appointments, 200 connected, 1,000 calls, 48 a day
    required = diagnosis.required
    assert required.work_days == 21
    assert required.period == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (required.deals, required.appointments, required.connected) == (10, 40, 200)
    assert (required.calls, required.calls_per_work_day) == (1000, 48)
    assert required.quota == Decimal(20000)
    assert required.rates["connect"] == Fraction(1, 5)
    assert required.rates["close"] == Fraction(1, 4)
    assert required.rates["deal_size"] == 2000
    assert "€20,000 at Eleni's rates needs 1,000 calls (48 a work day)." in english(
        diagnosis
    )
    assert "€20,000 at your rates needs 1,000 calls (48 a work day)." in english(
        diagnosis, for_rep=True
    )


def test_the_funnel_counts_and_rates_of_the_window_and_the_previous_one():
    rep = factories.RepFactory()
    log_funnel(
        rep, IN_WINDOW, calls=130, connected=26, appointments=13, emails=7, notes=3
    )
    log_funnel(rep, dt.date(2026, 7, 1), calls=65, connected=26)  # the previous window
    log_funnel(rep, ON, calls=400, connected=400)  # today: not in the window

    diagnosis = diagnose(rep, on=ON)

    assert diagnosis.window.first == dt.date(2026, 8, 3)
    assert diagnosis.window.last == dt.date(2026, 10, 31)
    assert (diagnosis.window.previous_first, diagnosis.window.previous_last) == (
        dt.date(2026, 5, 5),
        dt.date(2026, 8, 2),
    )
    volume, connect = diagnosis.stage("volume"), diagnosis.stage("connect")
    assert (volume.events, volume.rep_rate) == (65, Fraction(2))
    assert (connect.events, connect.rep_rate, connect.previous_rate) == (
        130,
        Fraction(1, 5),
        Fraction(2, 5),
    )
    assert diagnosis.stage("appointment").rep_rate == Fraction(1, 2)
    mix = diagnosis.mix
    assert (mix.calls, mix.emails, mix.thank_you_notes, mix.appointments) == (
        130,
        7,
        3,
        13,
    )
    assert mix.per_work_day(mix.calls) == 2


# Team of four reps with the same good funnel (1,600 calls, 400 connected, 100
# appointments, 50 deals of €1,000 over 65 work days) and the rep under test.
CONSTRAINTS = {
    # stage: (the rep's funnel, kind, revenue lost, the sentence's first part)
    "volume": (
        {"calls": 800, "connected": 200, "appointments": 50, "deals": 25},
        "volume",
        Decimal(25000),
        "Eleni makes 12.3 calls a work day against the team's 24.6.",
    ),
    "connect": (
        {"calls": 1600, "connected": 160, "appointments": 40, "deals": 20},
        "connecting",
        Decimal(30000),
        "Eleni makes as many calls as the team, but connects on 10 % against the "
        "team's 25 %.",
    ),
    "appointment": (
        {"calls": 1600, "connected": 400, "appointments": 40, "deals": 20},
        "booking",
        Decimal(30000),
        "Eleni makes as many calls as the team, but books an appointment from 10 % of "
        "connected calls against the team's 25 %.",
    ),
    "close": (
        {"calls": 1600, "connected": 400, "appointments": 100, "deals": 20},
        "closing",
        Decimal(30000),
        "Eleni makes as many calls as the team, but wins a deal from 20 % of "
        "appointments against the team's 50 %.",
    ),
    "deal_size": (
        {
            "calls": 1600,
            "connected": 400,
            "appointments": 100,
            "deals": 50,
            "deal_amount": 400,
        },
        "closing",
        Decimal(30000),
        "Eleni makes as many calls as the team, but their deals average €400 against "
        "the team's €1,000.",
    ),
}


@pytest.mark.parametrize("stage", CONSTRAINTS)
def test_each_kind_of_constraint_is_the_stage_that_loses_the_most(stage):
    funnel, kind, lost, first_sentence = CONSTRAINTS[stage]
    team = team_of(4, IN_WINDOW)
    rep = factories.RepFactory(team=team, first_name="Eleni")
    log_funnel(rep, IN_WINDOW, **({"deal_amount": 1000} | funnel))

    diagnosis = diagnose(rep, on=ON)

    assert diagnosis.constraint.stage == stage
    assert diagnosis.constraint.kind == kind
    assert diagnosis.constraint.lost_revenue == lost
    assert diagnosis.stage(stage).team_median == GOOD.rate(stage)
    assert diagnosis.team_size == 5
    text = english(diagnosis)
    assert text.startswith(first_sentence), text
    where = {
        "volume": "Volume",
        "connecting": "Connecting",
        "booking": "Booking appointments",
        "closing": "Closing",
    }[kind]
    assert f"{where} is where the last 90 days were lost (about €{lost:,.0f})." in text


def test_the_issues_sentence_for_a_closed_month():
    # Given Eleni and her team in October
    team = team_of(4, IN_WINDOW)
    rep = factories.RepFactory(team=team, first_name="Eleni")
    log_funnel(
        rep,
        IN_WINDOW,
        calls=1600,
        connected=160,
        appointments=40,
        deals=20,
        deal_amount=1000,
    )
    # When October is diagnosed (the 90 days before it are the previous window)
    diagnosis = diagnose(rep, month=dt.date(2026, 10, 1))
    # Then
    assert diagnosis.window.is_month
    assert (diagnosis.window.first, diagnosis.window.last) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
    )
    assert diagnosis.window.previous_first == dt.date(2026, 7, 3)
    assert english(diagnosis).startswith(
        "Eleni makes as many calls as the team, but connects on 10 % against the "
        "team's 25 %. Connecting is where the month was lost (about €30,000)."
    )
    assert english(diagnosis, for_rep=True).startswith(
        "You make as many calls as the team, but connect on 10 % against the team's "
        "25 %. Connecting is where the month was lost (about €30,000)."
    )


def test_the_back_solve_at_the_team_rate_of_the_constraint_needs_less():
    team = team_of(4, IN_WINDOW)
    rep = factories.RepFactory(team=team, first_name="Eleni")
    log_funnel(
        rep,
        IN_WINDOW,
        calls=1600,
        connected=160,
        appointments=40,
        deals=20,
        deal_amount=1000,
    )
    monthly_quota(rep, 20000)

    diagnosis = diagnose(rep, on=ON)

    # 20 deals need 40 appointments and 160 connected calls: 1,600 calls at 10 %, 640 at
    # the team's 25 % (31 a work day of November's 21)
    assert (diagnosis.required.calls, diagnosis.required.calls_per_work_day) == (
        1600,
        77,
    )
    team_rate = diagnosis.required_at_team_rate
    assert (team_rate.calls, team_rate.calls_per_work_day) == (640, 31)
    assert team_rate.appointments == diagnosis.required.appointments == 40
    assert "If Eleni's connect rate reaches the team's, 640 (31 a day)." in english(
        diagnosis
    )


def test_a_stage_with_too_few_events_uses_the_teams_rate_and_says_so():
    # Given a rep with 5 appointments (fewer than DIAGNOSIS_MIN_EVENTS) and no deal
    team = team_of(4, IN_WINDOW)
    rep = factories.RepFactory(team=team, first_name="Nikos")
    log_funnel(rep, IN_WINDOW, calls=1600, connected=400, appointments=5)
    monthly_quota(rep, 10000)

    diagnosis = diagnose(rep, on=ON)

    close = diagnosis.stage("close")
    assert (close.events, close.judged, close.rep_rate) == (5, False, Fraction(0))
    assert close.rate == close.team_median == Fraction(1, 2)
    assert not diagnosis.stage("deal_size").judged
    assert diagnosis.stage("deal_size").rate == 1000
    text = english(diagnosis)
    assert (
        "Too few appointments to judge Nikos's closing rate; the team's 50 % is used."
    ) in text
    assert (
        "Too few appointments to judge your closing rate; the team's 50 % is used."
    ) in english(diagnosis, for_rep=True)
    # The back-solve works with the team's rates where the rep's are thin
    assert diagnosis.required.appointments == 20
    # and the constraint is booking (5 of 400 connected calls), not the thin stage
    assert diagnosis.constraint.stage == "appointment"


def test_the_setting_decides_what_is_too_few(settings):
    settings.DIAGNOSIS_MIN_EVENTS = 3
    rep = factories.RepFactory()
    log_funnel(rep, IN_WINDOW, calls=4, connected=2, appointments=1)
    diagnosis = diagnose(rep, on=ON)
    assert diagnosis.stage("connect").judged
    assert not diagnosis.stage("appointment").judged


def test_past_the_ceiling_activity_alone_cannot_close_the_gap(settings):
    # Given the team's top quartile of 24.6 calls a work day (the ceiling: 2 x, 49.2)
    team = team_of(4, IN_WINDOW)
    rep = factories.RepFactory(team=team, first_name="Eleni")
    log_funnel(
        rep,
        IN_WINDOW,
        calls=1600,
        connected=160,
        appointments=40,
        deals=20,
        deal_amount=1000,
    )
    monthly_quota(rep, 20000)
    diagnosis = diagnose(rep, on=ON)
    # Then 77 a day at her rates is past it, 31 at the team's connect rate is not
    assert diagnosis.required.ceiling_calls_per_work_day == Fraction(3200, 65)
    assert diagnosis.required.exceeds_ceiling
    assert not diagnosis.required_at_team_rate.exceeds_ceiling
    assert (
        "That is more than the 49.2 calls a work day we would ever propose: activity "
        "alone cannot close the gap."
    ) in english(diagnosis)
    # And with a higher factor it is not
    settings.DIAGNOSIS_CEILING_FACTOR = 4
    assert not diagnose(rep, on=ON).required.exceeds_ceiling


def test_a_rep_without_a_quota_gets_no_back_solve():
    rep = factories.RepFactory(first_name="Eleni")
    log_funnel(rep, IN_WINDOW, calls=100, connected=20)
    diagnosis = diagnose(rep, on=ON)
    assert diagnosis.required is None and diagnosis.required_at_team_rate is None
    assert "There is no quota for November 2026 to work back from." in english(
        diagnosis
    )


def test_a_rate_of_zero_means_no_amount_of_activity_reaches_quota():
    rep = factories.RepFactory()
    log_funnel(rep, IN_WINDOW, calls=100, connected=0)
    monthly_quota(rep, 5000)
    diagnosis = diagnose(rep, on=ON)
    assert not diagnosis.required.reachable
    assert diagnosis.required.calls is None
    assert "no amount of activity reaches the quota" in english(diagnosis)


def test_a_deals_quota_works_back_from_deals():
    team = factories.TeamFactory(quota_metric="deals")
    rep = factories.RepFactory(team=team)
    log_funnel(
        rep,
        IN_WINDOW,
        calls=500,
        connected=100,
        appointments=20,
        deals=5,
        deal_amount=2000,
    )
    monthly_quota(rep, 10, slug="deals")
    required = diagnose(rep, on=ON).required
    assert (required.quota_metric, required.deals, required.calls) == (
        "deals",
        10,
        1000,
    )


def test_a_rep_at_or_above_the_median_everywhere_has_no_constraint():
    team = team_of(4, IN_WINDOW)
    rep = factories.RepFactory(team=team, first_name="Sofia")
    log_funnel(
        rep,
        IN_WINDOW,
        calls=1600,
        connected=400,
        appointments=100,
        deals=50,
        deal_amount=1000,
    )
    diagnosis = diagnose(rep, on=ON)
    assert diagnosis.constraint is None
    assert english(diagnosis).startswith(
        "Sofia is at or above the team's median at every stage."
    )


def test_the_top_quartile_and_median_are_over_the_teammates_who_can_be_judged():
    team = factories.TeamFactory()
    for connected in (100, 200, 300, 400):
        log_funnel(
            factories.RepFactory(team=team), IN_WINDOW, calls=1000, connected=connected
        )
    log_funnel(factories.RepFactory(team=team), IN_WINDOW, calls=5, connected=5)
    results = diagnose_team(team, on=ON)
    connect = results[0].stage("connect")
    assert connect.team_median == Fraction(1, 4)
    assert connect.team_top_quartile == Fraction(13, 40)  # 0.3 + 0.25 × 0.1


def test_windows_are_each_reps_own_days_kiritimati_and_honolulu():
    # Given 10:30 UTC on 1 November: 00:30 on the 2nd in Kiritimati (UTC+14), 00:30 on
    # the 1st in Honolulu (UTC-10), and the same entries on the same local days
    now = dt.datetime(2026, 11, 1, 10, 30, tzinfo=dt.UTC)
    team = factories.TeamFactory()
    kiritimati = factories.RepFactory(team=team, timezone="Pacific/Kiritimati")
    honolulu = factories.RepFactory(team=team, timezone="Pacific/Honolulu")
    for rep in (kiritimati, honolulu):
        log_funnel(rep, dt.date(2026, 11, 1), calls=10, connected=10)
        log_funnel(rep, dt.date(2026, 10, 31), calls=20, connected=5)
        log_funnel(rep, dt.date(2026, 8, 3), calls=7)

    # When both are diagnosed at that instant
    found = diagnoses_for([kiritimati, honolulu], now=now)

    # Then each window is the 90 days to the rep's own yesterday
    east, west = found[kiritimati.pk], found[honolulu.pk]
    assert (east.window.first, east.window.last) == (
        dt.date(2026, 8, 4),
        dt.date(2026, 11, 1),
    )
    assert (west.window.first, west.window.last) == (
        dt.date(2026, 8, 3),
        dt.date(2026, 10, 31),
    )
    # 1 November is Kiritimati's yesterday and Honolulu's today; 3 August is in
    # Honolulu's window and before Kiritimati's
    assert (east.counts.calls, east.counts.connected) == (30, 15)
    assert (west.counts.calls, west.counts.connected) == (27, 5)
    assert (east.previous_counts.calls, west.previous_counts.calls) == (7, 0)
    assert (east.counts.work_days, west.counts.work_days) == (64, 65)  # Mon 3 Aug


def test_a_team_is_diagnosed_in_five_queries_at_5_and_at_50_reps(
    django_assert_num_queries,
):
    for size in (5, 50):
        team = team_of(size, IN_WINDOW)
        for rep in team.members.all():
            monthly_quota(rep, 20000)
        metrics_in_order()  # the process's copy of the metrics, as in a running app
        # Team members, then the diagnosis: teammates, tallies, connected calls, the
        # next quotas' target versions
        with django_assert_num_queries(5):
            results = diagnose_team(team, on=ON)
        assert len(results) == size
        assert all(result.required.calls == 640 for result in results)


def test_a_conversion_reads_100_percent_at_most():
    from coaching.diagnosis.arithmetic import FunnelCounts, back_solve

    # 17 deals logged against 9 appointments (some deals came without one), and more
    # appointments than connected calls (some were booked by email)
    counts = FunnelCounts(
        work_days=20,
        calls=400,
        connected=8,
        appointments=9,
        deals=17,
        revenue=Decimal("34000"),
    )
    assert counts.rate("close") == 1 and counts.rate("appointment") == 1
    assert counts.rate("connect") == Fraction(8, 400)
    assert counts.rate("deal_size") == 2000
    solution = back_solve(
        quota=Decimal("20000"), quota_in_deals=False, rates=counts.rates, work_days=20
    )
    # Ten deals of €2,000 need ten appointments, not fewer
    assert solution.deals == solution.appointments == solution.connected == 10
    assert solution.calls == 500


def test_revenue_with_cents_sums_exactly_in_each_window():
    # Deals of €869.57 and €0.29 (floats would lose a cent: 0.29 * 100 is 28.999…),
    # in the window and in the previous one, beside calls whose tallies carry no amount
    rep = factories.RepFactory()
    log_funnel(rep, IN_WINDOW, calls=10, deals=3, deal_amount=Decimal("869.57"))
    log_funnel(rep, IN_WINDOW + dt.timedelta(1), deals=1, deal_amount=Decimal("0.29"))
    log_funnel(rep, dt.date(2026, 7, 1), deals=7, deal_amount=Decimal("0.29"))

    diagnosis = diagnose(rep, on=ON)

    assert diagnosis.revenue == Decimal("2609.00")
    assert diagnosis.counts.deals == 4
    assert diagnosis.previous_counts.revenue == Decimal("2.03")
    assert diagnosis.stage("deal_size").rep_rate == Fraction(260900, 400)


def test_revenue_with_cents_sums_exactly_when_windows_differ():
    # Two reps in zones a day apart have windows a day apart: each sum is its own
    kiritimati = factories.RepFactory(timezone="Pacific/Kiritimati")
    honolulu = factories.RepFactory(timezone="Pacific/Honolulu", team=kiritimati.team)
    for rep in (kiritimati, honolulu):
        log_funnel(rep, IN_WINDOW, deals=3, deal_amount=Decimal("0.29"))

    found = diagnoses_for(
        [kiritimati, honolulu], now=dt.datetime(2026, 11, 1, 5, tzinfo=dt.UTC)
    )

    assert {found[kiritimati.pk].window.last, found[honolulu.pk].window.last} == {
        dt.date(2026, 10, 30),
        dt.date(2026, 10, 31),
    }
    assert found[kiritimati.pk].revenue == found[honolulu.pk].revenue == Decimal("0.87")
