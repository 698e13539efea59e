"""seed_demo tells the method's story: one clear example of each situation.

The autonomy job and the review are replayed over the seeded history
(coaching.history_replay), so levels, praise and plans follow the numbers.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import TRUSTED_LEVELS, AutonomyLevel, User
from coaching.models import ImprovementPlan
from meetings.models import Meeting, MeetingStatus
from targets.models import Flag, FlagKind, Kudos

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)
    return {person.first_name.lower(): person for person in User.objects.all()}


def upcoming_check_ins(rep):
    return Meeting.objects.filter(
        rep=rep, status=MeetingStatus.SCHEDULED, starts_at__gte=timezone.now()
    )


def test_the_demo_tells_each_story_of_the_method(demo):
    # A star (Sofia): praised for her months on quota, trusted, and left alone
    sofia = demo["sofia"]
    assert Kudos.objects.filter(rep=sofia).exists()
    assert sofia.autonomy_level in TRUSTED_LEVELS
    assert not Flag.objects.filter(rep=sofia, kind=FlagKind.BELOW_QUOTA).exists()
    assert not ImprovementPlan.objects.filter(rep=sofia).exists()
    assert not upcoming_check_ins(sofia).exists()

    # A new rep being ramped (Maria): a few weeks in, promoted once, no goal setting now
    maria = demo["maria"]
    assert maria.start_date > timezone.now().date() - dt.timedelta(days=60)
    assert maria.autonomy_level == AutonomyLevel.RAMPING
    assert not Meeting.objects.filter(rep=maria, kind="goal_setting").exists()

    # Below quota (Nikos): flagged for last month, a plan, and its one-on-one booked
    nikos = demo["nikos"]
    assert Flag.objects.filter(rep=nikos, kind=FlagKind.BELOW_QUOTA).exists()
    plan = ImprovementPlan.objects.get(rep=nikos, status="open")
    assert plan.meeting is not None
    assert plan.meeting.status == MeetingStatus.SCHEDULED
    assert plan.meeting.starts_at > timezone.now()

    # Recovering (James): below quota once, back on quota since, so his plan closed
    james = demo["james"]
    assert ImprovementPlan.objects.filter(rep=james, status="closed").exists()
    assert not ImprovementPlan.objects.filter(rep=james, status="open").exists()


def test_levels_match_the_numbers_and_a_second_replay_changes_nothing(demo):
    # Given the seeded demo, when the replay runs again
    levels = dict(User.objects.values_list("email", "autonomy_level"))
    plans = ImprovementPlan.objects.count()
    call_command("replay_history", verbosity=0)
    # Then nobody moves and no plan opens twice
    assert dict(User.objects.values_list("email", "autonomy_level")) == levels
    assert ImprovementPlan.objects.count() == plans


def test_only_the_story_rep_is_on_a_plan_in_each_team(demo):
    # Given the seeded demo (history from the first of a month, so no partial month)
    # Then the other reps met quota in every closed month: Nikos is Aegean's one rep on
    # a plan (Eleni, of "Three mornings", is a normal rep), and Pacific has at most one
    on_plan = ImprovementPlan.objects.filter(status="open").values_list(
        "rep__team__name", "rep__first_name"
    )
    assert [name for team, name in on_plan if team == "Aegean"] == ["Nikos"]
    assert len([name for team, name in on_plan if team == "Pacific"]) <= 1
    assert not Flag.objects.filter(
        rep=demo["eleni"], kind=FlagKind.BELOW_QUOTA
    ).exists()


def test_no_two_kudos_of_a_rep_share_a_month(demo):
    # Given the seeded demo, whose replay reviewed several months at once
    # Then each system kudos carries the date of the review that gave it
    for rep in User.objects.filter(kudos__is_system=True).distinct():
        months = [
            (given.year, given.month)
            for given in Kudos.objects.filter(rep=rep, is_system=True).values_list(
                "created_at", flat=True
            )
        ]
        assert len(months) == len(set(months)), (rep.email, months)
    # And Nikos's streak, which ended in November, shows its own past date
    nikos_kudos = Kudos.objects.filter(rep=demo["nikos"], is_system=True)
    assert nikos_kudos.exists()
    today = timezone.now().date()
    assert all(kudo.created_at.date() < today for kudo in nikos_kudos)


def test_every_open_plan_has_a_booked_one_on_one(demo):
    # Given the seeded demo
    # Then every open plan's one-on-one is booked, in the future
    for plan in ImprovementPlan.objects.filter(status="open").select_related(
        "meeting", "rep"
    ):
        assert plan.meeting is not None, plan.rep.email
        assert plan.meeting.status == MeetingStatus.SCHEDULED
        assert plan.meeting.starts_at > timezone.now()


def test_the_demo_s_new_reps_are_on_the_standard_ramp(demo):
    # Maria (40 days in), Michael (17 days in) and Kai (starting today) ramp up;
    # nobody else does
    from targets.models import RepRamp

    ramps = {
        ramp.rep.email: ramp.curve for ramp in RepRamp.objects.select_related("rep")
    }
    assert set(ramps) == {
        "maria@example.com",
        "michael@example.com",
        "kai@example.com",
    }
    maria = demo["maria"]
    assert ramps[maria.email].week_on(maria.local_date()) == 6
    assert ramps[maria.email].weeks == 8
    kai = demo["kai"]
    assert ramps[kai.email].week_on(kai.local_date()) == 1


def last_closed_month() -> dt.date:
    return (timezone.now().date().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def test_time_with_reps_is_upside_down_in_aegean_and_healthy_in_pacific(demo):
    from accounts.models import Team
    from coaching.attention import attention_ledger

    month = last_closed_month()
    # Given the seeded demo, last month in Aegean: most of Mark's one-on-one minutes
    # went to reps on quota, and Nikos, below quota, was last seen two months ago
    aegean = attention_ledger(team=Team.objects.get(name="Aegean"), month=month)
    assert aegean.upside_down is not None
    assert aegean.upside_down.neglected == [demo["nikos"]]
    assert aegean.upside_down.on_quota_percent > 50
    nikos = next(row for row in aegean.rows if row.rep == demo["nikos"])
    assert nikos.minutes == 0
    assert nikos.last_met_on is not None
    assert nikos.last_met_on < timezone.now().date() - dt.timedelta(days=45)
    # And the star is left alone
    sofia = next(row for row in aegean.rows if row.rep == demo["sofia"])
    assert sofia.minutes == 0
    # Pacific's time went to its reps, on quota all: no warning
    pacific = attention_ledger(team=Team.objects.get(name="Pacific"), month=month)
    assert pacific.total_minutes > 0
    assert pacific.upside_down is None
    # And the held one-on-ones are 30 to 45 minutes, done, with notes and comments
    held = Meeting.objects.filter(
        status=MeetingStatus.DONE, starts_at__lt=timezone.now()
    )
    assert held.count() > 20
    assert set(held.values_list("duration_minutes", flat=True)) <= {30, 45}
    assert sum(row.comments for row in aegean.rows + pacific.rows) >= 1


def test_the_time_with_reps_page_shows_the_warning_for_nikos(demo, client):
    # Given Mark, Aegean's manager, on last month's Time with reps page
    client.force_login(demo["mark"])
    month = last_closed_month()
    page = client.get(f"/coaching/attention/?month={month:%Y-%m}")
    # Then the warning offers to book a one-on-one with Nikos
    assert page.status_code == 200
    assert f'data-testid="attention-book-{demo["nikos"].pk}"' in page.content.decode()
    assert "Book a one-on-one with Nikos" in page.content.decode()


def test_held_one_on_ones_are_seeded_once(demo):
    # Given the seeded demo, when it is seeded again
    counts = (
        Meeting.objects.count(),
        Kudos.objects.filter(is_system=False).count(),
    )
    call_command("seed_demo", verbosity=0)
    # Then no one-on-one, action item or kudos is added twice
    from meetings.models import ActionItem

    assert (
        Meeting.objects.count(),
        Kudos.objects.filter(is_system=False).count(),
    ) == counts
    assert ActionItem.objects.count() == 3


def test_the_trusted_reps_earn_their_quiet(demo):
    from accounts.models import Team
    from coaching.attention import attention_ledger

    # Given the seeded demo's trusted reps: Sofia, and whoever else earned it (the
    # other reps' activity form follows their id, so it is not pinned by name)
    trusted = set(User.objects.filter(autonomy_level__in=TRUSTED_LEVELS))
    assert demo["sofia"] in trusted
    # Then none of them has an open flag, activity dips included
    assert not Flag.objects.filter(rep__in=trusted, status="open").exists()
    # And each met quota last month
    rows = [
        row
        for team in Team.objects.all()
        for row in attention_ledger(team=team, month=last_closed_month()).rows
        if row.rep in trusted
    ]
    assert len(rows) == len(trusted)
    assert all(row.on_quota for row in rows)


def test_michael_is_behind_on_his_ramp_and_maria_is_not(demo, client):
    from targets.models import RepRamp

    # Given the seeded demo: Michael, in ramp week 3, missed his ramped targets in
    # weeks 1 and 2
    michael = demo["michael"]
    ramp = RepRamp.objects.get(rep=michael).curve
    assert ramp.week_on(michael.local_date()) == 3
    # Then the review raised one "Behind on ramp" flag, for him alone
    behind = Flag.objects.filter(kind=FlagKind.RAMP_BEHIND, status="open")
    assert list(behind.values_list("rep__first_name", flat=True)) == ["Michael"]
    # And it opened no improvement plan
    assert not ImprovementPlan.objects.filter(rep=michael).exists()
    # And Grace sees it on Needs attention
    client.force_login(demo["grace"])
    page = client.get("/targets/attention/")
    assert page.status_code == 200
    assert "Behind on ramp" in page.content.decode()
