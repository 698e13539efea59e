"""activities/services.py: logging, editing and deleting, with every rule and time zone."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities.models import Activity, DayTally, Deal
from activities.services import (
    activity_delete,
    activity_log,
    activity_update,
    contact_create,
    deal_delete,
    deal_log,
    deal_update,
    metric_update,
)
from activities.services.rules import may_edit_entry
from activities.tallies import tallies_verify
from tests import factories

UTC = dt.UTC


def local(zone: str, *args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone))


def tally(rep, slug="calls", on=None) -> tuple[int, Decimal] | None:
    row = DayTally.objects.filter(
        rep=rep, metric=factories.metric(slug), local_date=on
    ).first()
    return (row.quantity, row.amount) if row else None


def snapshot():
    """Everything a failed write must leave untouched."""
    return (
        list(Activity.objects.values_list("id", "quantity", "local_date", "metric_id")),
        list(
            DayTally.objects.values_list(
                "rep_id", "metric_id", "local_date", "quantity"
            )
        ),
        Activity.history.count(),
        Deal.objects.count(),
    )


# --- Logging and local dates ----------------------------------------------------------


def test_logging_a_call_stores_the_local_date_and_counts_it_in_the_tally(rep):
    # Given a rep in Athens (UTC+2 in winter) and a call at 23:30 UTC
    occurred_at = dt.datetime(2026, 1, 14, 23, 30, tzinfo=UTC)
    # When it is logged
    activity = activity_log(
        rep=rep,
        metric="calls",
        occurred_at=occurred_at,
        outcome="connected",
        by=rep,
        now=occurred_at + dt.timedelta(minutes=1),
    )
    # Then it lands on the next local day, and the tally says so
    assert activity.local_date == dt.date(2026, 1, 15)
    assert tally(rep, on=dt.date(2026, 1, 15)) == (1, Decimal(0))
    # and the row itself records who logged it: no second (history) row on insert
    assert activity.created_by == rep
    assert not activity.history.exists()


@pytest.mark.parametrize(
    ("zone", "hour", "minute", "utc_date"),
    [
        ("Pacific/Kiritimati", 23, 59, dt.date(2026, 6, 10)),
        ("Pacific/Kiritimati", 0, 1, dt.date(2026, 6, 9)),
        ("Pacific/Honolulu", 23, 59, dt.date(2026, 6, 11)),
        ("Pacific/Honolulu", 0, 1, dt.date(2026, 6, 10)),
    ],
)
def test_extreme_zones_land_on_the_local_date(team, zone, hour, minute, utc_date):
    # Given a rep at UTC+14 or UTC-10
    rep = factories.RepFactory(team=team, timezone=zone)
    occurred_at = local(zone, 2026, 6, 10, hour, minute)
    # When they log at 23:59 or 00:01 local time
    activity = activity_log(
        rep=rep,
        metric="calls",
        occurred_at=occurred_at,
        by=rep,
        now=occurred_at + dt.timedelta(minutes=5),
    )
    # Then the entry is on that local date (the 10th), whatever the UTC date
    expected = dt.date(2026, 6, 10)
    assert occurred_at.astimezone(UTC).date() == utc_date
    assert activity.local_date == expected
    assert tally(rep, on=expected) == (1, Decimal(0))


def test_kiritimati_and_honolulu_log_the_same_utc_moment_on_different_days(team):
    # Given two reps 24 hours apart
    kiritimati = factories.RepFactory(team=team, timezone="Pacific/Kiritimati")
    honolulu = factories.RepFactory(team=team, timezone="Pacific/Honolulu")
    moment = dt.datetime(2026, 6, 10, 9, 59, tzinfo=UTC)  # 23:59 / 23:59 local
    # When both log at that moment
    a = activity_log(rep=kiritimati, metric="calls", occurred_at=moment, now=moment)
    b = activity_log(rep=honolulu, metric="calls", occurred_at=moment, now=moment)
    # Then their local dates differ by a whole day (23:59 on the 10th and on the 9th)
    assert a.local_date == dt.date(2026, 6, 10)
    assert b.local_date == dt.date(2026, 6, 9)


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("America/New_York", dt.date(2026, 3, 8), 23),
        ("America/New_York", dt.date(2026, 11, 1), 25),
        ("Europe/Berlin", dt.date(2026, 3, 29), 23),
        ("Europe/Berlin", dt.date(2026, 10, 25), 25),
    ],
)
def test_dst_change_days_count_every_hour_once(team, zone, day, hours):
    # Given a rep in a zone that changes clocks on `day`
    rep = factories.RepFactory(team=team, timezone=zone)
    tz = zoneinfo.ZoneInfo(zone)
    start = dt.datetime.combine(day, dt.time(0, 30), tzinfo=tz).astimezone(UTC)
    # When a call is logged every real hour for 26 hours from 00:30 local
    moments = [start + dt.timedelta(hours=n) for n in range(26)]
    now = moments[-1] + dt.timedelta(minutes=1)
    for moment in moments:
        activity_log(rep=rep, metric="calls", occurred_at=moment, now=now)
    # Then the change day holds exactly its 23 or 25 hours of calls
    assert tally(rep, on=day) == (hours, Decimal(0))
    assert tally(rep, on=day + dt.timedelta(days=1)) == (26 - hours, Decimal(0))
    assert tallies_verify() == []


def test_changing_zone_does_not_move_history(rep):
    # Given a call at 23:30 in Athens
    occurred_at = local("Europe/Athens", 2026, 2, 3, 23, 30)
    activity = activity_log(
        rep=rep, metric="calls", occurred_at=occurred_at, now=occurred_at
    )
    # When the rep moves to New York
    rep.timezone = "America/New_York"
    rep.save(update_fields=["timezone"])
    # Then the entry and its tally stay on the Athens date
    activity.refresh_from_db()
    assert activity.local_date == dt.date(2026, 2, 3)
    assert tally(rep, on=dt.date(2026, 2, 3)) == (1, Decimal(0))
    assert tally(rep, on=dt.date(2026, 2, 4)) is None


# --- Bad input: each rule, its message, and nothing written -----------------------------

NOW = dt.datetime(2026, 3, 11, 12, 0, tzinfo=UTC)  # a Wednesday


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quantity": 0}, "quantity", "The quantity must be between 1 and 500."),
        ({"quantity": -3}, "quantity", "The quantity must be between 1 and 500."),
        ({"quantity": 501}, "quantity", "The quantity must be between 1 and 500."),
        ({"quantity": "7"}, "quantity", "Enter a whole number."),
        (
            {"occurred_at": NOW + dt.timedelta(minutes=5)},
            "occurred_at",
            "This time is in the future; log only what has already happened.",
        ),
        (
            {"occurred_at": NOW - dt.timedelta(days=8)},
            "occurred_at",
            "You can log up to 7 days back (March 4, 2026 at the earliest).",
        ),
        ({"metric": "no_such"}, "metric", 'There is no metric "no_such".'),
        ({"metric": "revenue"}, "metric", "Revenue is a result; log a deal instead."),
        (
            {"metric": "emails", "outcome": "connected"},
            "outcome",
            "Only calls have an outcome.",
        ),
        (
            {"outcome": "shouted"},
            "outcome",
            "Choose connected, voicemail or no answer.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    rep, changes, field, message
):
    # Given a rep and a clean slate
    before = snapshot()
    arguments = {"rep": rep, "metric": "calls", "by": rep, "now": NOW} | changes
    # When they log something that breaks a rule
    with pytest.raises(ValidationError) as error:
        activity_log(**arguments)
    # Then the message names the problem, on the right field, and nothing was written
    assert error.value.message_dict[field] == [message]
    assert snapshot() == before


def test_back_dating_limit_comes_from_the_setting(rep, settings):
    settings.ACTIVITY_BACKDATE_DAYS = 2
    with pytest.raises(ValidationError) as error:
        activity_log(
            rep=rep,
            metric="calls",
            occurred_at=NOW - dt.timedelta(days=3),
            by=rep,
            now=NOW,
        )
    assert "You can log up to 2 days back" in error.value.messages[0]
    assert not Activity.objects.exists()


def test_a_retired_metric_cannot_be_logged_but_keeps_its_history(rep, admin_user):
    # Given emails were logged, then the metric was retired
    activity_log(rep=rep, metric="emails", by=rep, now=NOW, occurred_at=NOW)
    metric_update(metric=factories.metric("emails"), is_active=False, by=admin_user)
    before = snapshot()
    # When the rep logs another email
    with pytest.raises(ValidationError) as error:
        activity_log(rep=rep, metric="emails", by=rep, now=NOW)
    # Then it is refused and the old entry is still there
    assert error.value.message_dict["metric"] == [
        "Emails is retired and can no longer be logged."
    ]
    assert snapshot() == before
    assert Activity.objects.filter(metric__slug="emails").count() == 1


def test_a_contact_must_be_the_reps_own(rep, team):
    other = factories.RepFactory(team=team)
    contact = contact_create(owner=other, name="Dora", by=other)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        activity_log(rep=rep, metric="calls", contact=contact, by=rep, now=NOW)
    assert error.value.message_dict["contact"] == [
        "Choose one of the rep's own contacts."
    ]
    assert snapshot() == before


def test_a_rep_cannot_log_for_someone_else(rep, team):
    other = factories.RepFactory(team=team)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        activity_log(rep=other, metric="calls", by=rep, now=NOW)
    assert snapshot() == before


# --- Editing and deleting: the open period and managers' corrections --------------------

LAST_WEEK = NOW - dt.timedelta(days=5)  # Friday of the previous ISO week


@pytest.fixture
def last_weeks_call(rep):
    return activity_log(rep=rep, metric="calls", occurred_at=LAST_WEEK, now=LAST_WEEK)


@pytest.mark.parametrize("action", ["update", "delete"])
def test_a_rep_cannot_change_an_entry_from_a_closed_week(rep, last_weeks_call, action):
    # Given a call from last week (the edit window is the current week)
    before = snapshot()
    # When the rep edits or deletes it
    with pytest.raises(ValidationError) as error:
        if action == "update":
            activity_update(activity=last_weeks_call, quantity=2, by=rep, now=NOW)
        else:
            activity_delete(activity=last_weeks_call, by=rep, now=NOW)
    # Then they are told to ask their manager, and nothing changed
    assert error.value.messages == [
        "This entry belongs to a closed period (before March 9, 2026); "
        "ask your manager to correct it."
    ]
    assert snapshot() == before


def test_a_rep_cannot_move_an_entry_into_a_closed_week(rep):
    call = activity_log(rep=rep, metric="calls", occurred_at=NOW, now=NOW, by=rep)
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        activity_update(activity=call, occurred_at=LAST_WEEK, by=rep, now=NOW)
    assert "closed period" in error.value.messages[0]
    assert snapshot() == before


def test_the_edit_window_comes_from_the_setting(rep, settings):
    settings.ACTIVITY_EDIT_WINDOW = "day"
    yesterday = NOW - dt.timedelta(days=1)
    call = activity_log(rep=rep, metric="calls", occurred_at=yesterday, now=yesterday)
    with pytest.raises(ValidationError):
        activity_delete(activity=call, by=rep, now=NOW)
    assert Activity.objects.filter(pk=call.pk).exists()


def test_the_manager_corrects_last_weeks_entry_and_it_is_audited(
    rep, manager, last_weeks_call
):
    # When the rep's manager corrects last week's call to 3 calls
    activity_update(activity=last_weeks_call, quantity=3, by=manager, now=NOW)
    # Then the tally follows and the history records who changed it
    assert tally(rep, on=LAST_WEEK.date()) == (3, Decimal(0))
    latest = last_weeks_call.history.first()
    assert (latest.quantity, latest.history_user, latest.history_type) == (
        3,
        manager,
        "~",
    )


def rep_moves(rep, *, to: str, at: dt.datetime) -> None:
    """The rep, in their zone for a month before `at`, moves to the zone `to` at `at`."""
    rep.history.update(history_date=at - dt.timedelta(days=30))
    rep.timezone = to
    rep._history_date = at  # django-simple-history stamps the version with this
    rep.save(update_fields=["timezone"])


MONDAY_IN_ATHENS = local(
    "Europe/Athens", 2026, 3, 9, 0, 30
)  # still Sunday further west
FRIDAY_IN_ATHENS = local("Europe/Athens", 2026, 3, 6, 11, 0)


def last_fridays_entry(kind: str, *, rep) -> Activity | Deal:
    if kind == "activity":
        return activity_log(
            rep=rep, metric="calls", occurred_at=FRIDAY_IN_ATHENS, now=FRIDAY_IN_ATHENS
        )
    return deal_log(
        rep=rep,
        title="Acme",
        amount=100,
        closed_at=FRIDAY_IN_ATHENS,
        now=FRIDAY_IN_ATHENS,
    )


def change_entry(entry, action: str, *, by, now) -> None:
    if isinstance(entry, Activity) and action == "update":
        activity_update(activity=entry, quantity=2, by=by, now=now)
    elif isinstance(entry, Activity):
        activity_delete(activity=entry, by=by, now=now)
    elif action == "update":
        deal_update(deal=entry, amount=900, by=by, now=now)
    else:
        deal_delete(deal=entry, by=by, now=now)


@pytest.mark.parametrize("kind", ["activity", "deal"])
@pytest.mark.parametrize("action", ["update", "delete"])
def test_moving_to_a_zone_further_west_does_not_reopen_last_week(rep, kind, action):
    # Given a rep in Athens with an entry from last Friday, whose week closed at
    # midnight, and who then moves to Honolulu, where it is still Sunday afternoon
    entry = last_fridays_entry(kind, rep=rep)
    rep_moves(rep, to="Pacific/Honolulu", at=MONDAY_IN_ATHENS - dt.timedelta(minutes=5))
    before = snapshot()
    # When they change that entry
    with pytest.raises(ValidationError) as error:
        change_entry(entry, action, by=rep, now=MONDAY_IN_ATHENS)
    # Then the week they had already closed stays closed, and nothing changed
    assert error.value.messages == [
        "This entry belongs to a closed period (before March 9, 2026); "
        "ask your manager to correct it."
    ]
    assert snapshot() == before
    assert not may_edit_entry(
        by=rep, rep=rep, local_date=entry.local_date, now=MONDAY_IN_ATHENS
    )


def test_a_rep_who_moved_west_long_ago_keeps_their_own_week_open(rep):
    # Given a rep who moved from Athens to Honolulu a month ago and logged a call on
    # Wednesday; it is Sunday evening in Honolulu, already Monday in Athens
    sunday_evening = local("Pacific/Honolulu", 2026, 3, 8, 20, 0)
    rep_moves(rep, to="Pacific/Honolulu", at=sunday_evening - dt.timedelta(days=30))
    wednesday = local("Pacific/Honolulu", 2026, 3, 4, 10, 0)
    call = activity_log(rep=rep, metric="calls", occurred_at=wednesday, now=wednesday)
    # When they correct it
    activity_update(activity=call, quantity=3, by=rep, now=sunday_evening)
    # Then their week (read in the zone they have lived in all week) is still open
    call.refresh_from_db()
    assert (call.local_date, call.quantity) == (dt.date(2026, 3, 4), 3)


def test_the_manager_still_corrects_an_entry_the_rep_can_no_longer_change(rep, manager):
    # Given a rep who moved west after their week closed
    call = last_fridays_entry("activity", rep=rep)
    rep_moves(rep, to="Pacific/Honolulu", at=MONDAY_IN_ATHENS - dt.timedelta(minutes=5))
    # When their manager corrects last Friday's call
    activity_update(activity=call, quantity=4, by=manager, now=MONDAY_IN_ATHENS)
    # Then the correction is made, on the stored Athens date
    assert tally(rep, on=dt.date(2026, 3, 6)) == (4, Decimal(0))


def test_another_teams_manager_cannot_correct(rep, last_weeks_call):
    stranger = factories.ManagerFactory()
    before = snapshot()
    with pytest.raises(PermissionDenied):
        activity_update(activity=last_weeks_call, quantity=3, by=stranger, now=NOW)
    assert snapshot() == before


def test_editing_moves_the_count_between_days_and_metrics(rep):
    call = activity_log(rep=rep, metric="calls", occurred_at=NOW, now=NOW, by=rep)
    earlier = NOW - dt.timedelta(days=1)
    activity_update(
        activity=call, metric="emails", quantity=4, occurred_at=earlier, by=rep, now=NOW
    )
    assert tally(rep, "calls", NOW.date()) == (0, Decimal(0))
    assert tally(rep, "emails", earlier.date()) == (4, Decimal(0))
    assert tallies_verify() == []


def test_undo_deletes_the_entry_its_count_and_keeps_an_audit_record(rep):
    call = activity_log(rep=rep, metric="calls", occurred_at=NOW, now=NOW, by=rep)
    activity_delete(activity=call, by=rep, now=NOW)
    assert not Activity.objects.exists()
    assert tally(rep, on=NOW.date()) == (0, Decimal(0))
    deleted = Activity.history.filter(id=call.pk, history_type="-").get()
    assert deleted.history_user == rep


# --- Deals ----------------------------------------------------------------------------


def test_a_deal_feeds_the_deals_count_and_the_revenue_sum(rep):
    deal_log(rep=rep, title="Acme", amount=Decimal("1200.50"), by=rep, now=NOW)
    deal = deal_log(rep=rep, title="Globex", amount=800, by=rep, now=NOW)
    assert tally(rep, "deals", NOW.date()) == (2, Decimal("2000.50"))
    assert tally(rep, "revenue", NOW.date()) == (2, Decimal("2000.50"))
    deal_update(deal=deal, amount=Decimal(1000), by=rep, now=NOW)
    assert tally(rep, "revenue", NOW.date()) == (2, Decimal("2200.50"))
    deal_delete(deal=deal, by=rep, now=NOW)
    assert tally(rep, "revenue", NOW.date()) == (1, Decimal("1200.50"))
    assert tallies_verify() == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": 0}, "amount", "The amount must be more than zero (in EUR)."),
        ({"amount": -5}, "amount", "The amount must be more than zero (in EUR)."),
        ({"amount": "lots"}, "amount", "Enter an amount such as 1250.00."),
        ({"title": "  "}, "title", "Give the deal a title."),
        (
            {"closed_at": NOW + dt.timedelta(hours=1)},
            "closed_at",
            "This time is in the future; log only what has already happened.",
        ),
    ],
)
def test_bad_deals_are_refused_and_nothing_is_written(rep, changes, field, message):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        deal_log(
            **{"rep": rep, "title": "Acme", "amount": 10, "by": rep, "now": NOW}
            | changes
        )
    assert error.value.message_dict[field] == [message]
    assert snapshot() == before
