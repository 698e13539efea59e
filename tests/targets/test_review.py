"""targets/review/: closed periods in each rep's calendar → flags, results, kudos."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AutonomyLevel, Notification
from activities.metric_cache import metrics_in_order
from activities.services import activity_log
from targets.models import Flag, Kudos, MonthResult, ReviewState
from targets.review import review_chunk
from targets.review.pace import at_risk_judged_from
from targets.services import dip_flags_refresh, dip_flags_sweep, target_set
from tests import factories
from tests.scenarios import (
    QUOTA,
    at,
    day_tallies,
    rep_on_a_deals_team,
    rep_with_quota,
    sell,
)

pytestmark = pytest.mark.django_db


def test_each_rep_is_reviewed_for_their_own_closed_month(team):
    # Given a rep in Sydney and one in New York, both below quota in October and November
    sydney = rep_with_quota(team, "Australia/Sydney")
    new_york = rep_with_quota(team, "America/New_York")
    # When the review runs at 2026-12-01 02:00 UTC: 13:00 on Dec 1 in Sydney,
    # 21:00 on Nov 30 in New York
    review_chunk(
        rep_ids=[sydney.pk, new_york.pk], now=dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC)
    )
    # Then Sydney's closed month is November and New York's is still October
    below_quota = Flag.objects.filter(kind="below_quota")
    assert list(
        below_quota.filter(rep=sydney).values_list("period_start", flat=True)
    ) == [dt.date(2026, 11, 1)]
    assert list(
        below_quota.filter(rep=new_york).values_list("period_start", flat=True)
    ) == [dt.date(2026, 10, 1)]


def test_a_below_quota_month_raises_one_flag_and_a_second_run_adds_nothing(team):
    rep = rep_with_quota(team, "Europe/Athens")
    sell(rep, 6400, at("Europe/Athens", 2026, 10, 20, 12))
    now = at("Europe/Athens", 2026, 11, 2, 9)

    first = review_chunk(rep_ids=[rep.pk], now=now)
    ReviewState.objects.all().delete()  # even a forgotten cursor must not duplicate
    second = review_chunk(rep_ids=[rep.pk], now=now)

    flag = Flag.objects.get(rep=rep)
    assert (flag.kind, flag.target, flag.actual, flag.percent) == (
        "below_quota",
        QUOTA,
        Decimal("6400.00"),
        64,
    )
    assert len(first.flags) == 1 and second.flags == []
    # The manager hears about it once, in the app and by email.
    assert (
        Notification.objects.filter(user=team.manager, kind="flag.below_quota").count()
        == 1
    )
    # Amounts as the dashboard shows them and a day, not raw decimals and ISO dates.
    note = Notification.objects.get(user=team.manager, kind="flag.below_quota")
    assert note.body == "Target 10,000, actual 6,400, for the period from 1 Oct 2026."


def test_a_rep_whose_day_has_not_moved_on_is_skipped(team):
    rep = rep_with_quota(team, "Europe/Athens")
    now = at("Europe/Athens", 2026, 11, 2, 9)
    assert review_chunk(rep_ids=[rep.pk], now=now).reviewed == 1
    assert review_chunk(rep_ids=[rep.pk], now=now + dt.timedelta(hours=1)).reviewed == 0
    assert review_chunk(rep_ids=[rep.pk], now=now + dt.timedelta(days=1)).reviewed == 1


def test_two_months_on_quota_give_one_kudos_with_the_streak(
    team, django_capture_on_commit_callbacks
):
    rep = rep_with_quota(team, "Europe/London")
    sell(rep, 12000, at("Europe/London", 2026, 9, 10, 12))
    sell(rep, 10000, at("Europe/London", 2026, 10, 10, 12))
    review_chunk(rep_ids=[rep.pk], now=at("Europe/London", 2026, 10, 1, 8))
    assert not Kudos.objects.exists()  # one month is not a streak yet

    with django_capture_on_commit_callbacks(execute=True):
        review_chunk(rep_ids=[rep.pk], now=at("Europe/London", 2026, 11, 1, 8))
        review_chunk(
            rep_ids=[rep.pk],
            now=at("Europe/London", 2026, 11, 1, 8) + dt.timedelta(days=1),
        )

    praise = Kudos.objects.get(rep=rep)
    assert (praise.streak, praise.message) == (2, "2 months in a row above quota")
    assert [result.met for result in MonthResult.objects.filter(rep=rep)] == [
        True,
        True,
    ]
    assert any("2 months in a row" in message.subject for message in mail.outbox)


def daily_calls_target(rep, amount=25):
    target_set(
        rep=rep,
        metric=factories.metric("calls"),
        period="day",
        amount=amount,
        effective_from=dt.date(2026, 1, 1),
        by=rep.team.manager,
        now=at(rep.timezone, 2026, 1, 1, 9),
    )


def test_three_work_days_below_the_call_target_raise_an_activity_dip(team):
    rep = rep_with_quota(team, "Europe/Athens")
    daily_calls_target(rep)
    for day in (24, 25, 26):  # Tue–Thu, 5 calls a day
        activity_log(
            rep=rep,
            metric="calls",
            quantity=5,
            occurred_at=at("Europe/Athens", 2026, 11, day, 10),
            by=rep,
            now=at("Europe/Athens", 2026, 11, day, 11),
        )

    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 11, 27, 8))

    dip = Flag.objects.get(rep=rep, kind="activity_dip")
    assert (dip.metric.slug, dip.period_start, dip.period_end) == (
        "calls",
        dt.date(2026, 11, 24),
        dt.date(2026, 11, 26),
    )
    assert (dip.target, dip.actual, dip.percent) == (Decimal(75), Decimal(15), 20)


def test_no_dip_flag_for_a_trusted_rep_who_is_on_quota(team):
    rep = rep_with_quota(
        team, "Europe/Athens", autonomy_level=AutonomyLevel.ESTABLISHED
    )
    daily_calls_target(rep)
    sell(rep, 15000, at("Europe/Athens", 2026, 11, 3, 12))  # the month's quota, early

    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 11, 27, 8))

    assert not Flag.objects.filter(rep=rep, kind="activity_dip").exists()


# --- At risk: the forecast's upper end below quota, from the first full week -------------

NOVEMBER_AND_DECEMBER = [
    dt.date(2026, 11, 2) + dt.timedelta(days=offset)
    for offset in range(33)  # 2 November to 4 December
    if (dt.date(2026, 11, 2) + dt.timedelta(days=offset)).isoweekday() <= 5
]
# The last 20 work days before Monday 7 December: 9 November to 4 December.
WINDOW_7_DEC = NOVEMBER_AND_DECEMBER[-20:]


@pytest.fixture
def events(monkeypatch):
    """The domain events published (after commit), as (name, ids)."""
    from core import events as core_events

    heard = []
    monkeypatch.setattr(
        core_events, "_subscribers", [lambda name, ids: heard.append((name, ids))]
    )
    return heard


@pytest.mark.parametrize(
    ("month_start", "judged_from"),
    [
        (dt.date(2026, 11, 1), dt.date(2026, 11, 2)),  # a Sunday: the next day
        (dt.date(2026, 12, 1), dt.date(2026, 12, 7)),  # a Tuesday: the next Monday
        (dt.date(2027, 2, 1), dt.date(2027, 2, 1)),  # a Monday: the first itself
    ],
)
def test_a_month_is_judged_from_the_monday_of_its_first_full_week(
    month_start, judged_from
):
    assert at_risk_judged_from(month_start) == judged_from


def test_a_slow_month_is_flagged_at_risk_from_its_first_full_week_not_before(team):
    # Given a rep who sells €100 every work day (December's first full week starts on
    # Monday the 7th)
    rep = rep_with_quota(team, "Europe/Athens")
    day_tallies(rep, "revenue", dict.fromkeys(NOVEMBER_AND_DECEMBER, 100))

    # When the review runs on Friday 4 December, in the ragged first week
    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 12, 4, 8))
    # Then the month is not judged yet
    assert not Flag.objects.filter(kind="at_risk").exists()

    # When it runs on Monday 7 December
    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 12, 7, 8))
    # Then €400 banked + 19 work days × €100 (no spread) = €2,300 cannot reach €10,000
    flag = Flag.objects.get(kind="at_risk")
    assert (flag.period_start, flag.period_end) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )
    assert (flag.target, flag.actual, flag.percent) == (QUOTA, Decimal(400), 23)
    assert Notification.objects.filter(
        user=team.manager, kind="flag.at_risk", key=f"flag:{flag.pk}"
    ).exists()


def test_a_month_whose_upper_end_reaches_quota_is_not_at_risk(team):
    # Given two reps expected below quota: one sells €0 and €800 on alternate work
    # days (rate 400, deviation 400), the other €0 and €600 (rate 300, deviation 300)
    hopeful = rep_with_quota(team, "Europe/Athens")
    short = rep_with_quota(team, "Europe/Athens")
    for rep, amount in ((hopeful, 800), (short, 600)):
        day_tallies(
            rep,
            "revenue",
            {day: amount * (i % 2) for i, day in enumerate(WINDOW_7_DEC)},
        )

    review_chunk(
        rep_ids=[hopeful.pk, short.pk], now=at("Europe/Athens", 2026, 12, 7, 8)
    )

    # Then 1,600 + 19 × 400 = 9,200 ± √19 × 400 (9,200 – 10,943.56) reaches €10,000,
    # while 1,200 + 19 × 300 = 6,900 ± 1,307.67 (up to 8,207.67) does not.
    at_risk = Flag.objects.filter(kind="at_risk")
    assert list(at_risk.values_list("rep_id", "percent")) == [(short.pk, 69)]


def test_each_rep_is_judged_in_their_own_calendar_across_a_week_boundary(team):
    # At 10:30 UTC on 6 December it is Monday the 7th, 00:30, in Kiritimati and
    # Sunday the 6th, 00:30, in Honolulu: only Kiritimati's first full week has begun.
    kiritimati = rep_with_quota(team, "Pacific/Kiritimati")
    honolulu = rep_with_quota(team, "Pacific/Honolulu")
    for rep in (kiritimati, honolulu):
        day_tallies(rep, "revenue", dict.fromkeys(NOVEMBER_AND_DECEMBER, 100))

    review_chunk(
        rep_ids=[kiritimati.pk, honolulu.pk],
        now=dt.datetime(2026, 12, 6, 10, 30, tzinfo=dt.UTC),
    )

    assert list(
        Flag.objects.filter(kind="at_risk").values_list("rep_id", flat=True)
    ) == [kiritimati.pk]


def test_a_closed_months_at_risk_flag_fades_in_each_reps_own_calendar(team):
    # Given a Kiritimati rep and a Honolulu rep, both flagged at risk in November
    kiritimati = rep_with_quota(team, "Pacific/Kiritimati")
    honolulu = rep_with_quota(team, "Pacific/Honolulu")
    review_chunk(
        rep_ids=[kiritimati.pk, honolulu.pk],
        now=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC),
    )
    assert Flag.objects.filter(kind="at_risk", status="open").count() == 2

    # When the review runs at 09:00 UTC on 1 December: 23:00 on the 1st in Kiritimati,
    # 23:00 on the 30th in Honolulu
    review_chunk(
        rep_ids=[kiritimati.pk, honolulu.pk],
        now=dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC),
    )

    # Then only Kiritimati's November has closed, and only its flag is resolved
    november = Flag.objects.filter(kind="at_risk", period_start=dt.date(2026, 11, 1))
    assert dict(november.values_list("rep_id", "status")) == {
        kiritimati.pk: "resolved",
        honolulu.pk: "open",
    }


def test_the_review_announces_the_flags_it_raises_and_resolves(
    team, events, django_capture_on_commit_callbacks
):
    # Given a slow rep reviewed on Monday 7 December
    rep = rep_with_quota(team, "Europe/Athens")
    day_tallies(rep, "revenue", dict.fromkeys(NOVEMBER_AND_DECEMBER, 100))
    with django_capture_on_commit_callbacks(execute=True):
        first = review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 12, 7, 8))
    # Then each new flag (November below quota, December at risk) is announced once
    assert sorted(ids["flag_id"] for name, ids in events) == sorted(
        flag.pk for flag in first.flags
    )
    assert {name for name, _ids in events} == {"flag.raised"}
    december = Flag.objects.get(kind="at_risk")

    # When January's first full week is reviewed, December's "at risk" is stale
    events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2027, 1, 4, 8))
    # Then its resolution is announced, with the flags raised for December and January
    december.refresh_from_db()
    assert december.status == "resolved"
    assert ("flag.resolved", {"flag_id": december.pk}) in events
    raised = {ids["flag_id"] for name, ids in events if name == "flag.raised"}
    assert (
        set(
            Flag.objects.filter(period_start__gte=dt.date(2026, 12, 1))
            .exclude(pk=december.pk)
            .values_list("pk", flat=True)
        )
        == raised
    )


def test_review_queries_do_not_grow_with_the_chunk(team):
    reps = [rep_with_quota(team, "Europe/Athens") for _ in range(3)]
    many = reps + [rep_with_quota(team, "Europe/Athens") for _ in range(20)]
    now = at("Europe/Athens", 2026, 11, 27, 8)
    metrics_in_order()  # the process's copy of the metrics, as in a running worker
    with CaptureQueriesContext(connection) as few_queries:
        review_chunk(rep_ids=[rep.pk for rep in reps], now=now)
    ReviewState.objects.all().delete()
    Flag.objects.all().delete()
    Notification.objects.all().delete()
    MonthResult.objects.all().delete()
    with CaptureQueriesContext(connection) as many_queries:
        review_chunk(rep_ids=[rep.pk for rep in many], now=now)
    assert len(few_queries) == len(many_queries)


def test_climbing_out_of_a_dip_resolves_the_flag_when_the_rep_logs(
    team, django_capture_on_commit_callbacks
):
    rep = rep_with_quota(team, "Europe/Athens")
    daily_calls_target(rep, amount=3)
    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 11, 27, 8))
    dip = Flag.objects.get(rep=rep, kind="activity_dip")

    today = at("Europe/Athens", 2026, 11, 27, 10)
    with django_capture_on_commit_callbacks() as queued:
        for _call in range(3):
            activity_log(
                rep=rep,
                metric="calls",
                occurred_at=today,
                by=rep,
                now=today + dt.timedelta(minutes=5),
            )
    # the logs of one minute queue one check (it runs on a worker, after the minute);
    # the other callbacks announce each activity (core.events)
    checks = [c for c in queued if getattr(c, "__name__", "") == "send"]
    assert len(checks) == 1 and len(queued) == 1 + 3

    assert dip_flags_refresh(rep_id=rep.pk, now=today + dt.timedelta(minutes=5)) == 1
    dip.refresh_from_db()
    assert dip.status == "resolved"


def test_the_hourly_sweep_resolves_a_dip_whose_check_was_never_queued(
    team, django_capture_on_commit_callbacks
):
    # Given a rep in a dip who logs enough calls while the broker is down (the
    # per-activity check is lost), and a rep whose dip is still real
    climber = rep_with_quota(team, "Europe/Athens")
    still_down = rep_with_quota(team, "Europe/Athens")
    for rep in (climber, still_down):
        daily_calls_target(rep, amount=3)
    review_chunk(
        rep_ids=[climber.pk, still_down.pk], now=at("Europe/Athens", 2026, 11, 27, 8)
    )
    today = at("Europe/Athens", 2026, 11, 27, 10)
    with django_capture_on_commit_callbacks(execute=False):
        for _call in range(3):
            activity_log(rep=climber, metric="calls", occurred_at=today, by=climber)

    # When the sweep runs
    resolved = dip_flags_sweep(now=today + dt.timedelta(minutes=5))

    # Then only the climber's dip is resolved
    assert resolved == 1
    assert Flag.objects.get(rep=climber, kind="activity_dip").status == "resolved"
    assert Flag.objects.get(rep=still_down, kind="activity_dip").status == "open"


def test_the_dashboard_and_today_show_the_reviews_flags_and_kudos(client, team):
    rep = rep_with_quota(team, "Europe/Athens")
    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 11, 2, 9))
    Kudos.objects.create(rep=rep, message="Great demo")

    client.force_login(team.manager)
    dashboard = client.get("/targets/dashboard/", {"team": team.pk})
    row = next(row for row in dashboard.context["dashboard"].rows if row.rep == rep)
    assert row.open_flags >= 1 and row.open_plan
    assert b'data-testid="flag-below_quota"' in dashboard.content

    client.force_login(rep)
    today = client.get("/")
    assert b"Great demo" in today.content
    assert b'data-testid="action-items-panel"' in today.content


def test_stale_dips_and_at_risk_flags_of_a_closed_month_fade(team):
    rep = rep_with_quota(team, "Europe/Athens")
    daily_calls_target(rep)
    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 10, 20, 8))
    assert {"activity_dip", "at_risk"} <= set(
        Flag.objects.filter(status="open").values_list("kind", flat=True)
    )
    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 11, 2, 8))
    open_flags = Flag.objects.filter(status="open")
    # The October dip (13 days old) and October's "at risk" are resolved; October's
    # below-quota flag and a fresh dip are open.
    assert (
        not open_flags.filter(period_end__lt=dt.date(2026, 10, 25))
        .exclude(kind="below_quota")
        .exists()
    )
    assert open_flags.filter(
        kind="below_quota", period_start=dt.date(2026, 10, 1)
    ).exists()
    assert not open_flags.filter(
        kind="at_risk", period_start=dt.date(2026, 10, 1)
    ).exists()


# --- A team whose quota is deals, not revenue ------------------------------------------


def test_a_deals_team_is_flagged_on_deals_even_with_revenue_met(team):
    # Given a deals-quota rep with one €12,000 deal in February: revenue met, deals not
    rep = rep_on_a_deals_team(team)
    sell(rep, 12000, at("Europe/Athens", 2026, 2, 10, 12))

    # When March's first review runs
    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 3, 2, 9))

    # Then February is below quota on deals: one of three
    flag = Flag.objects.get(rep=rep, kind="below_quota")
    assert (flag.metric.slug, flag.target, flag.actual, flag.percent) == (
        "deals",
        3,
        1,
        33,
    )
    assert MonthResult.objects.get(rep=rep).met is False


def test_a_deals_team_with_deals_met_is_not_flagged_for_low_revenue(team):
    # Given three small deals in February: deals met, revenue (€3,000) far below target
    rep = rep_on_a_deals_team(team)
    for day in (3, 10, 17):
        sell(rep, 1000, at("Europe/Athens", 2026, 2, day, 12))

    review_chunk(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 3, 2, 9))

    assert not Flag.objects.filter(rep=rep, kind="below_quota").exists()
    result = MonthResult.objects.get(rep=rep)
    assert (result.metric.slug, result.met) == ("deals", True)


def test_the_dip_sweep_is_an_hourly_periodic_task():
    from django_celery_beat.models import PeriodicTask

    from targets.tasks import dip_flags_sweep

    task = PeriodicTask.objects.get(
        name="salesteam: targets: resolve activity dips whose check was lost"
    )
    assert task.task == dip_flags_sweep.name and task.enabled
    assert task.crontab.minute == "50" and task.crontab.hour == "*"
