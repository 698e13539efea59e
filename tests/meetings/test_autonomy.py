"""Autonomy levels: promotion after N on-target weeks, demotion on a missed quota,
and the warning for a manager who books too many check-ins with a trusted rep."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import AutonomyLevel
from meetings import cadence
from meetings.autonomy import autonomy_review, autonomy_set
from meetings.models import AutonomyChange, Meeting
from tests import factories
from tests.scenarios import at, rep_on_a_deals_team, sell

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2027, 3, 1)


@dataclass
class FakeMetric:
    status: str


@dataclass
class FakeAttainment:
    """Stands in for targets.selectors.RepAttainment (the contract the review reads)."""

    on_target: bool
    quota_status: str = "met"

    def for_metric(self, slug):
        return FakeMetric(self.quota_status) if slug == "revenue" else None


@pytest.fixture
def results(monkeypatch):
    """Set per (period, date) what the rep achieved; calls are recorded."""
    weeks: dict[dt.date, bool] = {}
    months: dict[tuple[int, int], str] = {}
    calls = []

    def fake(*, rep, period, on):
        calls.append((period, on))
        if period == "week":
            return FakeAttainment(on_target=weeks.get(cadence.week_start(on), False))
        return FakeAttainment(
            on_target=False, quota_status=months.get((on.year, on.month), "met")
        )

    monkeypatch.setattr(cadence, "rep_attainment", fake)
    return {"weeks": weeks, "months": months, "calls": calls}


def on_target_weeks(results, count: int, *, before: dt.date) -> None:
    for back in range(1, count + 1):
        results["weeks"][cadence.week_start(before) - dt.timedelta(weeks=back)] = True


def test_a_rep_is_promoted_after_n_consecutive_on_target_weeks(rep, results, settings):
    # Given four on-target weeks in a row, the configured number
    settings.AUTONOMY_PROMOTION_WEEKS = 4
    on_target_weeks(results, 4, before=MONDAY)

    # When the daily review runs
    changes = autonomy_review(on=MONDAY)

    # Then the rep moves up one level, with the reason recorded
    rep.refresh_from_db()
    assert rep.autonomy_level == AutonomyLevel.RAMPING
    (change,) = changes
    assert (change.from_level, change.to_level) == ("new", "ramping")
    assert change.reason == "On target 4 weeks in a row."
    assert change.by is None and change.reviewed_on == MONDAY


def test_three_good_weeks_of_four_do_not_promote(rep, results, settings):
    settings.AUTONOMY_PROMOTION_WEEKS = 4
    on_target_weeks(results, 4, before=MONDAY)
    results["weeks"][MONDAY - dt.timedelta(weeks=2)] = False

    assert autonomy_review(on=MONDAY) == []
    rep.refresh_from_db()
    assert rep.autonomy_level == AutonomyLevel.NEW


def test_the_review_run_twice_promotes_once(rep, results, settings):
    settings.AUTONOMY_PROMOTION_WEEKS = 2
    on_target_weeks(results, 6, before=MONDAY)

    autonomy_review(on=MONDAY)
    autonomy_review(on=MONDAY)
    # The next day the same weeks are older than the last change: no second promotion
    autonomy_review(on=MONDAY + dt.timedelta(days=1))

    rep.refresh_from_db()
    assert rep.autonomy_level == AutonomyLevel.RAMPING
    assert AutonomyChange.objects.count() == 1


def test_weeks_after_a_promotion_count_towards_the_next_one(rep, results, settings):
    settings.AUTONOMY_PROMOTION_WEEKS = 2
    on_target_weeks(results, 10, before=MONDAY + dt.timedelta(weeks=3))
    autonomy_review(on=MONDAY)

    autonomy_review(on=MONDAY + dt.timedelta(weeks=2))

    rep.refresh_from_db()
    assert rep.autonomy_level == AutonomyLevel.ESTABLISHED


def test_a_missed_monthly_quota_demotes_once(rep, results):
    # Given an established rep who missed February's quota
    rep.autonomy_level = AutonomyLevel.ESTABLISHED
    rep.save()
    results["months"][(2027, 2)] = "behind"

    # When the review runs on 1 March, and again the next days
    autonomy_review(on=MONDAY)
    autonomy_review(on=MONDAY)
    autonomy_review(on=MONDAY + dt.timedelta(days=1))

    # Then the rep is one level down, once, and the reason names the month
    rep.refresh_from_db()
    assert rep.autonomy_level == AutonomyLevel.RAMPING
    (change,) = AutonomyChange.objects.all()
    assert change.reason == "Missed the quota for February 2027."


def test_a_new_rep_is_not_demoted_and_a_month_without_quota_misses_nothing(
    rep, results
):
    results["months"][(2027, 2)] = "behind"
    assert autonomy_review(on=MONDAY) == []
    rep.autonomy_level = AutonomyLevel.AUTONOMOUS
    rep.save()
    results["months"][(2027, 2)] = "no_target"
    assert autonomy_review(on=MONDAY) == []


def test_a_manual_change_is_recorded_with_who_and_why(rep, manager):
    change = autonomy_set(
        rep=rep, to_level="established", reason="Great first quarter", by=manager
    )
    rep.refresh_from_db()
    assert rep.autonomy_level == "established"
    assert (change.from_level, change.by) == ("new", manager)


def test_the_change_is_shown_to_the_rep_and_the_manager(client, rep, manager):
    autonomy_set(rep=rep, to_level="ramping", reason="Four good weeks", by=manager)
    client.force_login(rep)
    assert "Four good weeks" in client.get(reverse("meetings:list")).content.decode()
    client.force_login(manager)
    page = client.get(reverse("meetings:rep_history", args=[rep.pk])).content.decode()
    assert "Four good weeks" in page


def test_the_review_uses_the_real_attainment_of_the_targets_app(rep):
    # Without targets the rep is not on target: nothing changes, nothing breaks.
    assert autonomy_review(on=MONDAY) == []


# --- The team's quota metric decides (targets.quota), with real attainment -----------


def established_rep_on_a_deals_team(team):
    rep = rep_on_a_deals_team(team)
    rep.autonomy_level = AutonomyLevel.ESTABLISHED
    rep.save(update_fields=["autonomy_level"])
    return rep


def test_a_deals_team_rep_who_missed_deals_is_demoted_though_revenue_was_met(team):
    # Given an established rep of a deals team: one €12,000 deal in February (1 of 3)
    rep = established_rep_on_a_deals_team(team)
    sell(rep, 12000, at("Europe/Athens", 2026, 2, 10, 12))

    # When the autonomy review runs on 2 March
    changes = autonomy_review(on=dt.date(2026, 3, 2))

    # Then the rep moves down a level for missing the deals quota
    (change,) = changes
    assert (change.from_level, change.to_level) == ("established", "ramping")
    assert change.reason == "Missed the quota for February 2026."


def test_a_deals_team_rep_who_met_deals_is_not_demoted_for_low_revenue(team):
    # Given three €1,000 deals in February: deals met, revenue at 30 % of its target
    rep = established_rep_on_a_deals_team(team)
    for day in (3, 10, 17):
        sell(rep, 1000, at("Europe/Athens", 2026, 2, day, 12))

    # When the autonomy review runs on 2 March, then nothing changes
    assert autonomy_review(on=dt.date(2026, 3, 2)) == []
    rep.refresh_from_db()
    assert rep.autonomy_level == AutonomyLevel.ESTABLISHED


# --- Over-checking --------------------------------------------------------------------


def book_check_in(client, rep, starts_local: str, **extra):
    return client.post(
        reverse("meetings:schedule"),
        {
            "kind": "one_on_one",
            "title": "Check-in",
            "starts_at": starts_local,
            "duration_minutes": 30,
            "participants": [rep.pk],
            **extra,
        },
    )


@pytest.fixture
def trusted_rep(rep, results):
    """An established rep who was on target last week, with a check-in booked already."""
    rep.autonomy_level = AutonomyLevel.ESTABLISHED
    rep.save()
    today = rep.local_date()
    results["weeks"][cadence.week_start(today) - dt.timedelta(weeks=1)] = True
    return rep


def next_weekday_at(
    hour: int, *, zone, days_ahead: int, start: dt.date | None = None
) -> dt.datetime:
    """09:00 New York is inside both New York and Athens work hours all year."""
    day = (start or dt.date.today()) + dt.timedelta(days=days_ahead)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), zone)


def test_booking_too_many_check_ins_warns_but_still_books(client, manager, trusted_rep):
    # Given a check-in with the established, on-target rep in three days
    first = next_weekday_at(9, zone=manager.zone, days_ahead=3)
    factories.MeetingFactory(rep=trusted_rep, starts_at=first)
    client.force_login(manager)

    # When the manager books another one two days later (cadence: every two weeks)
    second = next_weekday_at(
        9, zone=manager.zone, days_ahead=2, start=first.date()
    ).strftime("%Y-%m-%dT%H:%M")
    response = book_check_in(client, trusted_rep, second)

    # Then the form warns and asks to confirm, booking nothing yet
    assert response.status_code == 200
    page = response.content.decode()
    assert "is on target; frequent check-ins can send the wrong message" in page
    assert "Book anyway" in page
    assert 'name="confirm" value="True"' in page
    assert Meeting.objects.count() == 1

    # When the manager confirms with a reason (required beyond the cadence)
    response = book_check_in(
        client, trusted_rep, second, confirm="True", reason="Demo prep"
    )

    # Then the meeting is booked
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_no_warning_for_a_new_rep_or_a_check_in_within_the_cadence(
    client, manager, rep, results
):
    first = next_weekday_at(9, zone=manager.zone, days_ahead=3)
    factories.MeetingFactory(rep=rep, starts_at=first)
    client.force_login(manager)
    second = next_weekday_at(
        9, zone=manager.zone, days_ahead=2, start=first.date()
    ).strftime("%Y-%m-%dT%H:%M")

    response = book_check_in(client, rep, second)

    assert response.status_code == 302  # a new rep: weekly check-ins are the norm
    assert Meeting.objects.count() == 2
