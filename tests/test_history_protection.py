"""History never cascades: deleting a person or a team keeps every record of their work.

People and teams are deactivated, not deleted (the admin has no delete for them), and a
foreign key to `User` or `Team` that would take history with it is `PROTECT`. The walk
below covers every model of every installed app, so a new model is held to it too.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.db import models
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team, User
from coaching.models import ImprovementPlan
from meetings.models import ActionItem, AutonomyChange, Meeting, MeetingSeries
from targets.models import Flag, Kudos, MonthResult, Target
from tests import factories

# The only foreign keys to a person or a team that may CASCADE: none of them is history.
CASCADES_THAT_KEEP_HISTORY = {
    # Django's own admin log; it never fires, as the admin cannot delete people.
    "admin.LogEntry.user",
    # API credentials must not outlive their person.
    "knox.AuthToken.user",
    # The person's own permissions.
    "accounts.User_groups.user",
    "accounts.User_user_permissions.user",
    # A sign-up link (a secret), not a record of work.
    "accounts.Invitation.user",
    # An inbox copy of events whose own records (flags, kudos, meetings) are protected.
    "accounts.Notification.user",
    # A sum of the rep's activities and deals, which protect the rep; recounted any time.
    "activities.DayTally.rep",
    # A replay cache for the caller's retries; it expires within a day anyway.
    "activities.IdempotentRequest.user",
    # The review's bookmark: the next review rebuilds it.
    "targets.ReviewState.rep",
    # A series' current roster: the meetings it made keep their own, protected attendance.
    "meetings.MeetingSeries_participants.user",
    # A secret calendar URL.
    "meetings.CalendarFeedToken.user",
    # The send-once guard of reminder emails; the meeting and its attendance are history.
    "meetings.ReminderSent.user",
    # A setting of the person's own.
    "meetings.MeetingPreference.user",
    # A copy of what the person's own calendar says is busy; the next sync rewrites it.
    "meetings.ExternalBusy.person",
    # The person's CalDAV credentials and its sync bookkeeping.
    "integrations.CalendarConnection.person",
}


def cascades_to_people_and_teams() -> set[str]:
    """Every foreign key and one-to-one, in every installed model, that cascades from a
    deleted `User` or `Team` ("app.Model.field"; many-to-many link tables included)."""
    found = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if (
                (field.many_to_one or field.one_to_one)
                and field.concrete
                and field.related_model in (User, Team)
                and field.remote_field.on_delete is models.CASCADE
            ):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_no_foreign_key_to_a_person_or_a_team_cascades_over_history():
    # Given every model of every installed app
    # When we look for foreign keys to a person or a team that delete on cascade
    unexplained = cascades_to_people_and_teams() - CASCADES_THAT_KEEP_HISTORY
    # Then each one is known not to hold history
    assert unexplained == set(), (
        "These would delete history with a person or a team: make them "
        "models.PROTECT, or add them to CASCADES_THAT_KEEP_HISTORY saying why they are "
        "not history."
    )


def test_the_allowlist_names_only_cascades_that_exist():
    # Given the allowlist, for the apps that are installed
    listed = {
        label
        for label in CASCADES_THAT_KEEP_HISTORY
        if label.split(".")[0] in apps.app_configs
    }
    # Then every entry is a cascade that is really there (no stale excuses)
    assert listed - cascades_to_people_and_teams() == set()


# --- A person with any kind of history cannot be deleted -------------------------------


def a_target(*, rep, manager):
    return factories.TargetFactory(rep=rep)


def a_flag(*, rep, manager):
    return Flag.objects.create(
        rep=rep,
        kind="below_quota",
        metric=factories.metric("revenue"),
        period="month",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        target=20000,
        actual=9000,
        percent=45,
    )


def a_month_result(*, rep, manager):
    return MonthResult.objects.create(
        rep=rep,
        month_start=dt.date(2026, 10, 1),
        metric=factories.metric("revenue"),
        target=20000,
        actual=21000,
        met=True,
    )


def kudos(*, rep, manager):
    return Kudos.objects.create(rep=rep, given_by=manager, message="Great month!")


def an_improvement_plan(*, rep, manager):
    return ImprovementPlan.objects.create(
        rep=rep,
        flag=a_flag(rep=rep, manager=manager),
        opened_at=timezone.now(),
        review_until=dt.date(2026, 12, 31),
    )


def a_one_on_one_with_private_notes(*, rep, manager):
    return factories.MeetingFactory(
        rep=rep, private_notes="Struggles with closing", participants=[manager]
    )


def attendance_at_a_team_meeting(*, rep, manager):
    return factories.MeetingFactory(
        kind="team", rep=None, organiser=manager, team=rep.team, participants=[rep]
    )


def an_action_item(*, rep, manager):
    meeting = factories.MeetingFactory(
        kind="team", rep=None, organiser=manager, participants=[manager]
    )
    return factories.ActionItemFactory(meeting=meeting, owner=rep)


def an_autonomy_change(*, rep, manager):
    return AutonomyChange.objects.create(
        rep=rep,
        from_level="new",
        to_level="ramping",
        reason="Three months on target",
        changed_at=timezone.now(),
    )


@pytest.mark.parametrize(
    "history",
    [
        a_target,
        a_flag,
        a_month_result,
        kudos,
        an_improvement_plan,
        a_one_on_one_with_private_notes,
        attendance_at_a_team_meeting,
        an_action_item,
        an_autonomy_change,
    ],
)
def test_deleting_a_person_with_history_is_refused_and_the_history_stays(
    rep, manager, history
):
    # Given a rep with one kind of history (and no activities, which protect them anyway)
    record = history(rep=rep, manager=manager)
    # When someone deletes the rep
    with pytest.raises(ProtectedError):
        rep.delete()
    # Then the rep and the record are still there
    assert User.objects.filter(pk=rep.pk).exists()
    assert type(record).objects.filter(pk=record.pk).exists()


def a_team_meeting(*, team, manager):
    return factories.MeetingFactory(
        kind="team", rep=None, organiser=manager, team=team, participants=[manager]
    )


def a_meeting_series(*, team, manager):
    return MeetingSeries.objects.create(
        title="Monday stand-up",
        organiser=manager,
        team=team,
        recurrence="weekly",
        timezone="Europe/Athens",
        starts_on=dt.date(2026, 1, 5),
        local_time=dt.time(10, 0),
        duration_minutes=30,
    )


@pytest.mark.parametrize("history", [a_team_meeting, a_meeting_series])
def test_deleting_a_team_with_meetings_is_refused_and_they_stay(team, manager, history):
    # Given a team without members whose meetings are on record
    record = history(team=team, manager=manager)
    # When someone deletes the team
    with pytest.raises(ProtectedError):
        team.delete()
    # Then the team and its meetings are still there
    assert Team.objects.filter(pk=team.pk).exists()
    assert type(record).objects.filter(pk=record.pk).exists()


# --- The admin offers no delete for people, teams or history ---------------------------


@pytest.mark.parametrize(
    "model", [User, Team, Meeting, ActionItem, AutonomyChange, Target]
)
def test_the_admin_cannot_delete_people_teams_or_history(
    client, admin_user, rep, manager, model
):
    # Given a superuser in the Django admin, and one row of each kind
    records = {
        User: lambda: rep,
        Team: lambda: rep.team,
        Meeting: lambda: a_one_on_one_with_private_notes(rep=rep, manager=manager),
        ActionItem: lambda: an_action_item(rep=rep, manager=manager),
        AutonomyChange: lambda: an_autonomy_change(rep=rep, manager=manager),
        Target: lambda: a_target(rep=rep, manager=manager),
    }
    record = records[model]()
    client.force_login(admin_user)
    opts = model._meta
    # When they open the row's delete page, and the list's bulk actions
    delete_page = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[record.pk])
    )
    changelist = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    )
    # Then deleting is refused and not offered; deactivating (or cancelling) is the way
    assert delete_page.status_code == 403
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert model.objects.filter(pk=record.pk).exists()
