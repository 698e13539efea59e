"""accounts/permissions.py: the one visibility policy, one level down and never two."""

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts import permissions
from accounts.models import Team, User
from accounts.selectors import (
    active_reps_visible_to,
    record_owner_for,
    teams_visible_to,
    users_visible_to,
)
from activities.models import Activity
from activities.services import activity_log
from meetings.models import Meeting, Participant
from meetings.selectors import action_items_visible_to, meetings_visible_to
from tests import factories

pytestmark = pytest.mark.django_db


@dataclass
class Ladder:
    """A manager above, a manager in their team, that manager's rep; another team."""

    admin: User
    above: User
    manager: User
    rep: User
    other_manager: User
    other_rep: User
    team_above: Team
    team: Team


@pytest.fixture
def ladder() -> Ladder:
    above = factories.ManagerFactory()
    team_above = factories.TeamFactory(manager=above)
    manager = factories.ManagerFactory(team=team_above)
    team = factories.TeamFactory(manager=manager)
    other_rep = factories.RepFactory()
    return Ladder(
        admin=factories.AdminFactory(),
        above=above,
        manager=manager,
        rep=factories.RepFactory(team=team),
        other_manager=other_rep.team.manager,
        other_rep=other_rep,
        team_above=team_above,
        team=team,
    )


def visible_people(viewer: User) -> set[User]:
    return set(User.objects.filter(permissions.records_q(viewer, rep_field="")))


def test_a_rep_sees_only_their_own_records(ladder):
    assert visible_people(ladder.rep) == {ladder.rep}


def test_a_manager_sees_themselves_and_the_members_of_the_team_they_lead(ladder):
    assert visible_people(ladder.manager) == {ladder.manager, ladder.rep}


def test_the_manager_above_sees_their_member_manager_but_not_that_managers_reps(
    ladder,
):
    assert visible_people(ladder.above) == {ladder.above, ladder.manager}


def test_an_admin_sees_everyone(ladder):
    assert visible_people(ladder.admin) == set(User.objects.all())


def test_records_q_follows_the_person_a_record_belongs_to(ladder):
    # Given an entry of the manager and one of their rep
    calls = factories.metric("calls")
    managers_entry = activity_log(rep=ladder.manager, metric=calls)
    reps_entry = activity_log(rep=ladder.rep, metric=calls)

    # When the manager above asks for entries in scope
    visible = set(Activity.objects.filter(permissions.records_q(ladder.above)))

    # Then the manager's own entry is there and the rep's is not
    assert managers_entry in visible
    assert reps_entry not in visible


@pytest.mark.parametrize(
    ("viewer", "person", "expected"),
    [
        ("rep", "rep", True),
        ("rep", "manager", False),
        ("manager", "rep", True),
        ("manager", "manager", True),
        ("above", "manager", True),
        ("above", "rep", False),
        ("other_manager", "rep", False),
        ("admin", "rep", True),
    ],
)
def test_may_manage_agrees_with_records_q(ladder, viewer, person, expected):
    viewer, person = getattr(ladder, viewer), getattr(ladder, person)

    assert permissions.may_manage(viewer, person) is expected
    assert (person in visible_people(viewer)) is expected


def test_nobody_manages_themselves_but_an_admin_manages_everyone(ladder):
    assert not permissions.manages(ladder.manager, ladder.manager)
    assert permissions.manages(ladder.above, ladder.manager)
    assert not permissions.manages(ladder.above, ladder.rep)
    assert permissions.manages(ladder.admin, ladder.rep)


def one_on_one(*, organiser: User, person: User, rep: User | None) -> Meeting:
    return factories.MeetingFactory(
        rep=rep, organiser=organiser, participants=[organiser, person]
    )


def test_the_manager_above_does_not_see_their_member_managers_one_on_ones(ladder):
    # Given a one-on-one of the member manager with their rep, with an action item
    meeting = one_on_one(organiser=ladder.manager, person=ladder.rep, rep=ladder.rep)
    item = factories.ActionItemFactory(meeting=meeting, owner=ladder.rep)

    # Then the rep, their manager and admins see it; the manager above does not
    for viewer in (ladder.rep, ladder.manager, ladder.admin):
        assert meeting in meetings_visible_to(viewer)
        assert item in action_items_visible_to(viewer)
    for viewer in (ladder.above, ladder.other_manager, ladder.other_rep):
        assert meeting not in meetings_visible_to(viewer)
        assert item not in action_items_visible_to(viewer)


def test_a_one_on_one_about_a_person_follows_their_records_not_attendance(ladder):
    # Given an admin's one-on-one about the member manager, without the manager above
    meeting = one_on_one(
        organiser=ladder.admin, person=ladder.manager, rep=ladder.manager
    )

    # Then the manager above sees it, as they see the member manager's other records
    assert meeting in meetings_visible_to(ladder.above)
    assert meeting not in meetings_visible_to(ladder.rep)


def test_a_team_meeting_is_for_its_people_and_the_teams_manager(ladder):
    # Given a team meeting of the member manager's team, organised by an admin
    meeting = factories.MeetingFactory(
        kind="team", rep=None, team=ladder.team, organiser=ladder.admin
    )
    Participant.objects.create(meeting=meeting, user=ladder.rep)

    assert meeting in meetings_visible_to(ladder.manager)
    assert meeting in meetings_visible_to(ladder.rep)
    assert meeting not in meetings_visible_to(ladder.above)
    assert meeting not in meetings_visible_to(ladder.other_manager)


def test_meetings_q_for_an_admin_is_everything(ladder):
    assert (
        permissions.meetings_q(
            ladder.admin, taking_part=[Q(pk__in=[])], meetings=Meeting.objects.all()
        )
        == Q()
    )


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("rep", False),  # takes part, never runs
        ("manager", True),  # the organiser and the rep's manager
        ("above", False),
        ("other_manager", False),
        ("admin", True),
    ],
)
def test_who_may_run_a_one_on_one_with_a_rep(ladder, viewer, expected):
    meeting = one_on_one(organiser=ladder.manager, person=ladder.rep, rep=ladder.rep)

    assert (
        permissions.may_run_meeting(
            getattr(ladder, viewer),
            organiser_id=meeting.organiser_id,
            team=None,
            person=meeting.rep,
        )
        is expected
    )


def test_the_person_a_meeting_is_about_does_not_run_it_even_as_a_manager(ladder):
    # Given an admin's one-on-one about the member manager
    def may_run(viewer: User) -> bool:
        return permissions.may_run_meeting(
            viewer, organiser_id=ladder.admin.pk, team=None, person=ladder.manager
        )

    assert not may_run(ladder.manager)
    assert may_run(ladder.above)


def test_teams_a_manager_sees_are_those_they_lead(ladder):
    assert set(teams_visible_to(ladder.manager)) == {ladder.team}
    assert set(teams_visible_to(ladder.above)) == {ladder.team_above}
    assert set(teams_visible_to(ladder.rep)) == {ladder.team}
    assert set(teams_visible_to(ladder.admin)) == set(Team.objects.all())


def test_active_reps_visible_to_leaves_out_managers_and_the_deactivated(ladder):
    gone = factories.RepFactory(team=ladder.team, is_active=False)

    assert set(active_reps_visible_to(ladder.manager)) == {ladder.rep}
    assert set(active_reps_visible_to(ladder.above)) == set()
    assert gone in users_visible_to(ladder.manager)


def test_record_owner_for_is_the_viewer_unless_someone_is_named(ladder):
    assert record_owner_for(ladder.above, person_id=None, field="user") == ladder.above
    assert (
        record_owner_for(ladder.above, person_id=ladder.manager.pk, field="user")
        == ladder.manager
    )


def test_record_owner_for_refuses_a_person_two_levels_down(ladder):
    with pytest.raises(ValidationError) as error:
        record_owner_for(ladder.above, person_id=ladder.rep.pk, field="owner")

    assert error.value.message_dict == {
        "owner": ["You may only write for yourself or your team."]
    }


def test_a_manager_leads_only_their_own_team(ladder):
    assert permissions.leads(ladder.manager, ladder.team)
    assert not permissions.leads(ladder.manager, ladder.team_above)
    assert not permissions.leads(ladder.rep, ladder.team)
    assert permissions.leads(ladder.admin, ladder.team_above)
