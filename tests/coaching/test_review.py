"""The review end to end (`run_review --at`): flags, one-on-ones, plans, praise."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from activities.services import activity_log
from coaching.models import ImprovementPlan, PlanStatus
from coaching.review import review_and_follow_up
from coaching.services.plans import plan_close
from meetings.models import Meeting, MeetingKind
from targets.models import Flag, Kudos
from tests import factories
from tests.scenarios import at, rep_on_a_deals_team, sell
from tests.scenarios import rep_with_quota as rep_with_a_quota

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _metrics(db):
    factories.standard_template()


def rep_with_quota(team, zone: str):
    return rep_with_a_quota(team, zone, daily_calls=25)


def run_review(when: dt.datetime) -> str:
    out = StringIO()
    call_command("run_review", "--at", when.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def manager_in_new_york(db):
    return factories.ManagerFactory(timezone="America/New_York")


def test_a_below_quota_month_books_one_one_on_one_in_both_work_hours_and_one_plan(
    manager_in_new_york, django_capture_on_commit_callbacks
):
    team = factories.TeamFactory(manager=manager_in_new_york)
    rep = rep_with_quota(team, "Europe/Athens")
    sell(rep, 6400, at("Europe/Athens", 2026, 10, 20, 12))
    for day in range(1, 31):  # calls well logged, so the agenda has an activity mix
        when = at("Europe/Athens", 2026, 10, day, 10)
        if when.isoweekday() <= 5:
            activity_log(
                rep=rep,
                metric="calls",
                quantity=20,
                occurred_at=when,
                by=team.manager,
                now=when + dt.timedelta(hours=1),
            )
    review_at = at("Europe/Athens", 2026, 11, 2, 7)  # Monday morning in Athens

    with django_capture_on_commit_callbacks(execute=True):
        summary = run_review(review_at)

    assert "1 plans opened" in summary and "1 one-on-ones booked" in summary
    flag = Flag.objects.get(rep=rep, kind="below_quota")
    plan = ImprovementPlan.objects.get(rep=rep)
    assert plan.flag == flag and plan.status == PlanStatus.OPEN
    assert [(g.metric.slug, g.amount) for g in plan.goals.all()] == [("calls", 25)]
    meeting = plan.meeting
    assert meeting.kind == MeetingKind.ONE_ON_ONE and meeting.video_url
    assert rep in meeting.participants.all()
    # Inside both people's work hours, within the rep's next two work days.
    for person in (rep, manager_in_new_york):
        local_start = meeting.starts_at.astimezone(person.zone)
        local_end = meeting.ends_at.astimezone(person.zone)
        assert (
            person.work_start <= local_start.time()
            and local_end.time() <= person.work_end
        )
        assert local_start.isoweekday() in person.work_days
    assert rep.local_date(meeting.starts_at) <= dt.date(2026, 11, 4)
    # The agenda carries the numbers.
    agenda = [item.text for item in meeting.agenda_items.all()]
    # Amounts as the dashboard shows them, the month by name
    assert "Results for October 2026: Revenue 6,400 of 10,000 (64%)" in agenda
    assert any(line.startswith("Activity mix:") for line in agenda)
    # Both got an invitation with an .ics attached.
    invitations = [m for m in mail.outbox if m.subject.startswith("Invitation:")]
    assert sorted(m.to[0] for m in invitations) == sorted(
        [rep.email, team.manager.email]
    )
    assert all(m.attachments[0][2] == "text/calendar" for m in invitations)

    # A second run adds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        run_review(review_at)
        run_review(review_at + dt.timedelta(days=1))
    assert Flag.objects.filter(rep=rep, kind="below_quota").count() == 1
    assert ImprovementPlan.objects.count() == 1
    assert Meeting.objects.filter(kind=MeetingKind.ONE_ON_ONE).count() == 1


def test_sydney_and_new_york_reps_are_reviewed_for_their_own_months(team):
    sydney = rep_with_quota(team, "Australia/Sydney")
    new_york = rep_with_quota(team, "America/New_York")
    run_review(dt.datetime(2026, 12, 1, 2, tzinfo=dt.UTC))
    assert ImprovementPlan.objects.get(rep=sydney).flag.period_start == dt.date(
        2026, 11, 1
    )
    assert ImprovementPlan.objects.get(rep=new_york).flag.period_start == dt.date(
        2026, 10, 1
    )


def test_a_recovered_month_closes_the_plan_and_two_good_months_give_one_kudos(team):
    rep = rep_with_quota(team, "Europe/London")
    sell(rep, 5000, at("Europe/London", 2026, 9, 15, 12))
    run_review(at("Europe/London", 2026, 10, 1, 8))
    plan = ImprovementPlan.objects.get(rep=rep)

    sell(rep, 11000, at("Europe/London", 2026, 10, 15, 12))
    run_review(at("Europe/London", 2026, 11, 1, 8))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.close_reason == "Quota met again."
    assert plan.flag.status == "resolved"
    assert not Kudos.objects.exists()  # one good month is not yet a streak

    sell(rep, 12000, at("Europe/London", 2026, 11, 15, 12))
    run_review(at("Europe/London", 2026, 12, 1, 8))
    run_review(at("Europe/London", 2026, 12, 2, 8))
    assert list(Kudos.objects.values_list("rep", "streak")) == [(rep.pk, 2)]


def test_the_manager_can_close_or_extend_a_plan(client, team):
    rep = rep_with_quota(team, "Europe/Athens")
    run_review(at("Europe/Athens", 2026, 11, 2, 7))
    plan = ImprovementPlan.objects.get(rep=rep)
    client.force_login(team.manager)
    client.post(f"/meetings/plans/{plan.pk}/extend/", {"until": "2027-03-01"})
    plan.refresh_from_db()
    assert plan.review_until == dt.date(2027, 3, 1)
    client.post(f"/meetings/plans/{plan.pk}/close/", {"reason": "Numbers back"})
    plan.refresh_from_db()
    assert (plan.status, plan.close_reason) == ("closed", "Numbers back")


def test_the_rep_sees_and_acknowledges_their_plan(client, team):
    rep = rep_with_quota(team, "Europe/Athens")
    run_review(at("Europe/Athens", 2026, 11, 2, 7))
    plan = ImprovementPlan.objects.get(rep=rep)
    client.force_login(rep)
    page = client.get(f"/meetings/plans/{plan.pk}/")
    assert page.status_code == 200 and b"Agreed goals" in page.content
    client.post(f"/meetings/plans/{plan.pk}/acknowledge/")
    plan.refresh_from_db()
    assert plan.acknowledged_at is not None


def test_improvement_plans_api_filters_by_user_and_status(team):
    from tests.helpers import api_client_for

    rep = rep_with_quota(team, "Europe/Athens")
    other = rep_with_quota(team, "Europe/Athens")
    run_review(at("Europe/Athens", 2026, 11, 2, 7))
    client = api_client_for(team.manager)
    body = client.get(f"/api/v1/improvement-plans/?user={rep.pk}&status=open").json()
    assert [row["user"] for row in body["results"]] == [rep.pk]
    assert body["results"][0]["goals"][0]["metric"] == "calls"
    assert (
        api_client_for(rep)
        .get(f"/api/v1/improvement-plans/{ImprovementPlan.objects.get(rep=other).pk}/")
        .status_code
        == 404
    )


def test_a_plan_drops_the_reps_autonomy_one_level_with_a_reason(team):
    rep = rep_with_quota(team, "Europe/Athens")
    rep.autonomy_level = "established"
    rep.save()
    run_review(at("Europe/Athens", 2026, 11, 2, 7))
    rep.refresh_from_db()
    assert rep.autonomy_level == "ramping"
    change = rep.autonomy_changes.get()
    assert "Improvement plan" in change.reason


def test_the_weekly_digest_reaches_each_person_on_their_monday_once(
    team, django_capture_on_commit_callbacks
):
    from coaching.digest import digests_send

    rep = rep_with_quota(team, "Australia/Sydney")
    team.manager.timezone = "America/New_York"
    team.manager.save()
    sunday_evening_utc = dt.datetime(
        2026, 11, 29, 22, tzinfo=dt.UTC
    )  # Monday in Sydney
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=sunday_evening_utc) == 1  # only Sydney's Monday began
        assert digests_send(now=sunday_evening_utc) == 0
        assert digests_send(now=sunday_evening_utc + dt.timedelta(hours=10)) == 1
    digests = [m for m in mail.outbox if m.subject == "Your weekly digest"]
    assert sorted(m.to[0] for m in digests) == sorted([rep.email, team.manager.email])
    manager_digest = next(m for m in digests if m.to == [team.manager.email])
    assert "Team results last week:" in manager_digest.body
    assert str(rep) in manager_digest.body


def test_the_manager_edits_a_plan_goal_which_becomes_the_reps_target(client, team):
    from targets.models import Target

    rep = rep_with_quota(team, "Europe/Athens")
    run_review(at("Europe/Athens", 2026, 11, 2, 7))
    plan = ImprovementPlan.objects.get(rep=rep)
    goal = plan.goals.get(metric__slug="calls")
    client.force_login(team.manager)

    client.post(f"/meetings/plans/{plan.pk}/goals/{goal.pk}/", {"amount": "35"})

    goal.refresh_from_db()
    assert goal.amount == 35
    current = Target.objects.get(rep=rep, metric__slug="calls", effective_until=None)
    assert current.amount == 35 and current.agreed_at is None  # the rep agrees next
    bad = client.post(f"/meetings/plans/{plan.pk}/goals/{goal.pk}/", {"amount": "-3"})
    assert bad.status_code == 302
    goal.refresh_from_db()
    assert goal.amount == 35


def test_another_month_below_quota_extends_the_open_plan_instead_of_a_second(team):
    rep = rep_with_quota(team, "Europe/Athens")
    run_review(at("Europe/Athens", 2026, 10, 1, 7))  # September below quota
    plan = ImprovementPlan.objects.get(rep=rep)
    run_review(at("Europe/Athens", 2026, 12, 1, 7))  # October and November too
    assert ImprovementPlan.objects.filter(rep=rep).count() == 1
    plan.refresh_from_db()
    # Extended to 60 days after the latest month below quota (November), however often
    # the review runs.
    assert plan.review_until == dt.date(2026, 11, 30) + dt.timedelta(days=60)
    run_review(at("Europe/Athens", 2026, 12, 2, 7))
    plan.refresh_from_db()
    assert plan.review_until == dt.date(2026, 11, 30) + dt.timedelta(days=60)

    plan_close(plan=plan, by=team.manager, reason="Agreed a new start")
    assert not Flag.objects.filter(rep=rep, kind="below_quota", status="open").exists()


def test_a_leavers_plan_closes_and_never_blocks_other_bookings(team, admin_user):
    from accounts.services import user_deactivate
    from coaching.review import plans_book_missing

    leaver = rep_with_quota(team, "Europe/Athens")
    stayer = rep_with_quota(team, "Europe/Athens")
    review_and_follow_up(
        rep_ids=[leaver.pk, stayer.pk], now=at("Europe/Athens", 2026, 11, 2, 7)
    )

    user_deactivate(user=leaver, by=admin_user)

    assert ImprovementPlan.objects.get(rep=leaver).status == PlanStatus.CLOSED
    assert plans_book_missing(now=at("Europe/Athens", 2026, 11, 2, 8)) == 1
    assert ImprovementPlan.objects.get(rep=stayer).meeting is not None


def test_a_plan_with_no_shared_free_time_is_retried_a_day_later_not_every_run(caplog):
    from coaching.review import plans_book_missing

    manager = factories.ManagerFactory(timezone="America/New_York")
    team = factories.TeamFactory(manager=manager)
    rep = rep_with_quota(team, "Australia/Sydney")  # 9-17 never overlaps New York's
    other = rep_with_quota(team, "Australia/Sydney")
    with caplog.at_level("WARNING", logger="coaching.services.booking"):
        run_review(at("Australia/Sydney", 2026, 11, 2, 9))
    plan = ImprovementPlan.objects.get(rep=rep)
    plan_ids = sorted([plan.pk, ImprovementPlan.objects.get(rep=other).pk])
    assert plan.meeting is None and plan.booking_failed_at is not None
    # One warning for the batch, naming both plans
    warnings = [r.getMessage() for r in caplog.records if "free time" in r.message]
    assert warnings == [
        f"Plans {plan_ids}: no shared free time for the one-on-one (retried after "
        "1 day, 0:00:00)"
    ]

    soon = plan.booking_failed_at + dt.timedelta(hours=2)
    assert plans_book_missing(now=soon) == 0
    assert (
        ImprovementPlan.objects.get(pk=plan.pk).booking_failed_at
        == plan.booking_failed_at
    )
    later = plan.booking_failed_at + dt.timedelta(days=1, hours=1)
    plans_book_missing(now=later)
    assert ImprovementPlan.objects.get(pk=plan.pk).booking_failed_at == later


@pytest.mark.parametrize("reps", [2, 6])
def test_a_chunks_one_on_ones_are_booked_in_one_batch_without_double_booking(
    reps, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from coaching.services.booking import plans_book_one_on_ones

    manager = factories.ManagerFactory(timezone="Europe/Athens")
    team = factories.TeamFactory(manager=manager)
    people = [rep_with_quota(team, "Europe/Athens") for _ in range(reps)]
    now = at("Europe/Athens", 2026, 11, 2, 7)
    summary = review_and_follow_up(rep_ids=[rep.pk for rep in people], now=now)
    assert len(summary.plans_to_book) == reps
    mail.outbox.clear()

    # Plans with reps and managers; their flags; their meetings; month results;
    # targets and tallies for the agenda's activity mix; action items; the diagnosis
    # (teammates, tallies, connected calls, next quotas: 5) and the plans' goals;
    # meetings, participants, agendas; plans; savepoint and release: whatever the batch
    # size (the metrics are the process's copy, loaded by the review).
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(19),
    ):
        meetings = plans_book_one_on_ones(plan_ids=summary.plans_to_book, now=now)

    assert len(meetings) == reps
    times = sorted((m.starts_at, m.ends_at) for m in meetings)
    assert all(
        end <= start for (_s, end), (start, _e) in zip(times, times[1:], strict=False)
    )
    invited = sorted(m.to[0] for m in mail.outbox)
    assert invited == sorted([manager.email] * reps + [rep.email for rep in people])
    # A second batch books nothing: each plan has its one meeting.
    assert plans_book_one_on_ones(plan_ids=summary.plans_to_book, now=now) == []


@pytest.mark.parametrize(("reps", "chunk_size"), [(3, 3), (6, 3), (9, 3), (9, 9)])
def test_a_whole_review_costs_the_same_queries_for_every_chunk(
    reps, chunk_size, django_capture_on_commit_callbacks
):
    """Issue 7: the queries of a run grow with the number of chunks only, flags,
    plans, one-on-ones, invitations and emails included."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coaching.review import review_run

    team = factories.TeamFactory(manager=factories.ManagerFactory())
    for _ in range(reps):
        rep_with_quota(team, "Europe/Athens")
    now = at("Europe/Athens", 2026, 11, 2, 7)

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        summary = review_run(now=now, chunk_size=chunk_size)

    assert len(summary.plans_opened) == summary.meetings_booked == reps
    assert len(mail.outbox) > 3 * reps  # notifications and invitations went out
    # The reps to review, then per chunk: the review, its plans (with their diagnosis,
    # which their one-on-ones' agendas reuse), their one-on-ones and the emails and
    # invitations they queue (a chunk of 3 reps costs what one of 9 does). Once a run:
    # whether anyone has a calendar connected, for the booked meetings' calendar sync,
    # and the metrics (both cached afterwards).
    assert len(queries) == 3 + (reps // chunk_size) * 55


def test_one_on_one_invitations_go_once_and_the_sweep_sends_what_a_broker_lost(
    django_capture_on_commit_callbacks,
):
    from coaching.review import plans_book_missing
    from coaching.services.booking import plans_book_one_on_ones
    from coaching.services.invitations import one_on_one_invitations_send

    team = factories.TeamFactory(manager=factories.ManagerFactory())
    reps = [rep_with_quota(team, "Europe/Athens") for _ in range(2)]
    now = at("Europe/Athens", 2026, 11, 2, 7)
    summary = review_and_follow_up(rep_ids=[rep.pk for rep in reps], now=now)
    # The broker is down: the booking commits, its invitations are not queued.
    with django_capture_on_commit_callbacks(execute=False) as lost:
        plans_book_one_on_ones(plan_ids=summary.plans_to_book, now=now)
    # The invitations' task, and one announcement of the booked meetings (core.events).
    assert len(lost) == 1 + 1
    mail.outbox.clear()

    plans_book_missing(now=now + dt.timedelta(hours=1))

    invited = sorted(m.to[0] for m in mail.outbox)
    assert invited == sorted([team.manager.email] * 2 + [rep.email for rep in reps])
    assert one_on_one_invitations_send(plan_ids=summary.plans_to_book) == 0
    plans_book_missing(now=now + dt.timedelta(hours=2))
    assert len(mail.outbox) == 4


def test_a_second_month_below_quota_costs_the_same_queries_for_any_number_of_reps(team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def second_month_queries(reps: int) -> tuple[int, list]:
        people = [rep_with_quota(team, "Europe/London") for _ in range(reps)]
        ids = [rep.pk for rep in people]
        review_and_follow_up(rep_ids=ids, now=at("Europe/London", 2026, 10, 1, 8))
        with CaptureQueriesContext(connection) as queries:
            review_and_follow_up(rep_ids=ids, now=at("Europe/London", 2026, 11, 2, 8))
        until = sorted(
            ImprovementPlan.objects.filter(rep__in=people).values_list(
                "review_until", flat=True
            )
        )
        return len(queries), until

    few, few_until = second_month_queries(2)
    many, many_until = second_month_queries(6)

    assert few == many
    # Each open plan now runs to 60 days after October, the second month below quota.
    assert set(few_until) == set(many_until) == {dt.date(2026, 12, 30)}


def test_the_agenda_is_in_the_managers_language_metric_names_included():
    from coaching.services.booking import plans_book_one_on_ones

    manager = factories.ManagerFactory(timezone="Europe/Athens", language="el")
    team = factories.TeamFactory(manager=manager)
    rep = rep_with_quota(team, "Europe/Athens")
    when = at("Europe/Athens", 2026, 10, 20, 10)
    activity_log(rep=rep, metric="calls", quantity=20, occurred_at=when, by=manager)
    now = at("Europe/Athens", 2026, 11, 2, 7)
    summary = review_and_follow_up(rep_ids=[rep.pk], now=now)

    (meeting,) = plans_book_one_on_ones(plan_ids=summary.plans_to_book, now=now)

    agenda = [item.text for item in meeting.agenda_items.all()]
    mix = next(line for line in agenda if line.startswith("Κατανομή δραστηριοτήτων"))
    assert "Κλήσεις 20/" in mix and "Calls" not in mix


def test_plans_whose_manager_left_are_not_booked_and_logged_once(team, caplog):
    from coaching.services.booking import plans_book_one_on_ones

    reps = [rep_with_quota(team, "Europe/Athens") for _ in range(2)]
    now = at("Europe/Athens", 2026, 11, 2, 7)
    summary = review_and_follow_up(rep_ids=[rep.pk for rep in reps], now=now)
    team.manager.is_active = False
    team.manager.save(update_fields=["is_active"])

    with caplog.at_level("WARNING", logger="coaching.services.booking"):
        booked = plans_book_one_on_ones(plan_ids=summary.plans_to_book, now=now)

    assert booked == []
    assert not ImprovementPlan.objects.filter(meeting__isnull=False).exists()
    assert [r.getMessage() for r in caplog.records] == [
        f"Plans {sorted(summary.plans_to_book)} not booked: the team's manager is "
        "inactive"
    ]


# --- A team whose quota is deals, not revenue ------------------------------------------


def test_a_deals_team_below_its_deals_target_gets_a_flag_a_plan_and_a_demotion(team):
    # Given an established rep of a deals team: one €12,000 deal in February (revenue
    # met, one deal of three)
    rep = rep_on_a_deals_team(team)
    rep.autonomy_level = "established"
    rep.save(update_fields=["autonomy_level"])
    sell(rep, 12000, at("Europe/Athens", 2026, 2, 10, 12))

    # When March's first review and its follow-up run
    review_and_follow_up(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 3, 2, 9))

    # Then February is judged on deals: a flag, a plan for it, one level down
    plan = ImprovementPlan.objects.select_related("flag__metric").get(rep=rep)
    assert (plan.flag.metric.slug, plan.flag.percent) == ("deals", 33)
    rep.refresh_from_db()
    assert rep.autonomy_level == "ramping"


def test_a_deals_team_with_its_deals_met_gets_no_plan_for_low_revenue(team):
    # Given three small deals in February: deals met, revenue (€3,000) far below target
    rep = rep_on_a_deals_team(team)
    rep.autonomy_level = "established"
    rep.save(update_fields=["autonomy_level"])
    for day in (3, 10, 17):
        sell(rep, 1000, at("Europe/Athens", 2026, 2, day, 12))

    review_and_follow_up(rep_ids=[rep.pk], now=at("Europe/Athens", 2026, 3, 2, 9))

    # Then no flag, no plan and the rep keeps their level
    assert not Flag.objects.filter(rep=rep, kind="below_quota").exists()
    assert not ImprovementPlan.objects.filter(rep=rep).exists()
    rep.refresh_from_db()
    assert rep.autonomy_level == "established"


def test_the_managers_digest_says_who_is_behind_on_their_teams_quota(team):
    from coaching.digest import digest_for

    # Given a deals team's rep with one €15,000 deal this month: revenue beyond its
    # target, one deal of three
    rep = rep_on_a_deals_team(team)
    sell(rep, 15000, at("Europe/Athens", 2026, 11, 2, 12))

    # When the manager's digest is written late in the month
    body = digest_for(team.manager, now=at("Europe/Athens", 2026, 11, 23, 9))

    # Then the rep is behind on quota (deals), whatever their revenue
    line = next(line for line in body.splitlines() if str(rep) in line)
    assert "behind on quota this month (33%)" in line


def test_the_plan_page_writes_its_review_date_as_the_rest_of_the_app_does(client, team):
    # Given a plan reviewed until the end of January
    rep = rep_with_quota(team, "Europe/Athens")
    run_review(at("Europe/Athens", 2026, 11, 2, 7))
    plan = ImprovementPlan.objects.get(rep=rep)
    plan.review_until = dt.date(2027, 1, 29)
    plan.save(update_fields=["review_until"])

    # When the manager opens it
    client.force_login(team.manager)
    html = client.get(f"/meetings/plans/{plan.pk}/").content.decode()

    # Then the review date reads like every other date, with no US-style abbreviation
    assert "reviewed at least until 29 Jan 2027" in html
    assert "Jan. 29, 2027" not in html
