"""The one visibility policy: who may see and change whose records.

Every record belongs to one person: an activity, deal or contact to its rep or owner, a
target to its rep, a one-on-one meeting (with its notes and action items) to the rep it is
about, an improvement plan to its rep. A person's records are visible to, and may be
changed by:

- the person themselves;
- the manager of the team the person is a member of;
- admins (and superusers), who see everything.

Scope goes one level down, never two. A manager who is a member of another manager's team
is, for their own records, like a rep of that team: their manager sees them. The records
of their own reps are not visible to their manager's manager.

Team meetings are visible to the people who take part (participants and the organiser), to
the manager of the team, and to admins. Running a meeting (changing it, adding action
items, reading private notes) is for the organiser, the manager of the meeting's team, the
manager of the person it is about, and admins: never for a rep, and not for the person
the meeting is about unless they organised it.

A rep sees the team they are a member of; a manager sees the teams they lead.

A superuser's account (profile, email, role, activation) is changed only by a superuser:
for anyone else it is not found, so an in-app admin cannot take over `/admin/`.

Other apps scope their rows with these Q builders over *the person a record belongs to*
(e.g. `records_q(viewer, rep_field="owner")`), so the policy needs no import of theirs.
An object outside the viewer's scope is simply not found (404), never forbidden (403).
"""

from django.db.models import Q, QuerySet

from accounts.models import Role, Team, User


def _prefix(field: str) -> str:
    return f"{field}__" if field else ""


def managed_people_q(viewer: User, *, person_field: str = "") -> Q:
    """Rows whose person is managed by the viewer: a member of a team the viewer leads.

    Admins manage everyone. Only the direct team counts, so a manager's manager does
    not reach the reps of that manager.
    """
    if viewer.is_admin:
        return Q()
    if viewer.role == Role.MANAGER:
        led = Team.objects.filter(manager=viewer).values("pk")
        return Q(**{f"{_prefix(person_field)}team__in": led})
    return Q(pk__in=[])


def records_people(viewer: User):
    """The ids of the people whose records a manager or rep may see, as a subquery of
    `pk` (None for admins: everyone): the viewer and the members of the teams they lead.

    A UNION ALL rather than an OR, so that PostgreSQL estimates a team's size (about
    ten rows), not half of the people, and reads each person's rows by index. A list
    can also read a page of each person's rows and merge them (core/api_pagination.py).
    """
    if viewer.is_admin:
        return None
    own = User.objects.filter(pk=viewer.pk).order_by().values("pk")
    if viewer.role != Role.MANAGER:
        return own
    led = Team.objects.filter(manager=viewer).order_by().values("pk")
    members = User.objects.filter(team__in=led).order_by().values("pk")
    return members.union(own, all=True)


def records_q(viewer: User, *, rep_field: str = "rep") -> Q:
    """Rows whose `rep_field` (a path to a User) the viewer may see and change.

    A manager's scope is one `rep_id IN (their teams' members UNION the viewer)` on the
    row itself, never an OR across a join to the people: PostgreSQL then reads only
    those people's rows by the (rep, ...) indexes, so a manager's list costs the team's
    rows, not the organisation's (an OR over the join made COUNT(*) read every row).
    """
    if viewer.is_admin:
        return Q()
    own = Q(**{f"{_prefix(rep_field)}pk": viewer.pk})
    if viewer.role == Role.MANAGER:
        return Q(**{f"{_prefix(rep_field)}pk__in": records_people(viewer)})
    return own


def account_changeable_q(viewer: User) -> Q:
    """People whose account the viewer may change, of those they may see: a superuser
    only by another superuser."""
    return Q() if viewer.is_superuser else Q(is_superuser=False)


def may_change_account(viewer: User, person: User) -> bool:
    """`account_changeable_q` as a predicate."""
    return viewer.is_superuser or not person.is_superuser


def led_teams_q(viewer: User, *, team_field: str = "") -> Q:
    """Rows whose team the viewer leads (admins: every team)."""
    if viewer.is_admin:
        return Q()
    if viewer.role == Role.MANAGER:
        return Q(**{f"{_prefix(team_field)}manager": viewer})
    return Q(pk__in=[])


def teams_q(viewer: User) -> Q:
    """Teams the viewer may see: a rep their own team, a manager the teams they lead."""
    if viewer.is_admin:
        return Q()
    if viewer.role == Role.MANAGER:
        return led_teams_q(viewer)
    return Q(pk=viewer.team_id) if viewer.team_id else Q(pk__in=[])


def meetings_q(
    viewer: User,
    *,
    taking_part: list[Q],
    meetings: QuerySet,
    person_field: str = "rep",
    team_field: str = "team",
) -> Q:
    """Meetings the viewer may see.

    `taking_part` selects the meetings the viewer organises or attends (one Q each: the
    caller knows how attendance is stored). Beyond those, a one-on-one follows its
    person's records and a team meeting its team's manager. Attending reps do not widen
    a manager's scope.

    The branches are a UNION ALL of `meetings`' ids, each read by its own index, never
    one OR: PostgreSQL cannot read an OR of subqueries by index, so it read every meeting
    of the organisation to count a manager's.
    """
    if viewer.is_admin:
        return Q()
    branches = [*taking_part, records_q(viewer, rep_field=person_field)]
    if viewer.role == Role.MANAGER:
        led = Team.objects.filter(manager=viewer).order_by().values("pk")
        branches.append(Q(**{f"{team_field}__in": led}))
    first, *others = [
        meetings.filter(branch).order_by().values("pk") for branch in branches
    ]
    return Q(pk__in=first.union(*others, all=True))


def directory_q(viewer: User) -> Q:
    """Users the viewer may see in a directory: a rep also sees their own team."""
    if viewer.is_admin:
        return Q()
    scope = records_q(viewer, rep_field="")
    if viewer.team_id:
        scope |= Q(team_id=viewer.team_id) | Q(managed_teams=viewer.team_id)
    return scope


def manages(viewer: User, person: User) -> bool:
    """Is the viewer this person's manager (the manager of their team), or an admin?"""
    if viewer.is_admin:
        return True
    return (
        viewer.role == Role.MANAGER
        and person.pk != viewer.pk
        and person.team_id is not None
        and person.team.manager_id == viewer.pk
    )


def leads(viewer: User, team: Team) -> bool:
    """Does the viewer lead this team (or are they an admin)? `led_teams_q` as a predicate."""
    if viewer.is_admin:
        return True
    return viewer.role == Role.MANAGER and team.manager_id == viewer.pk


def may_manage(viewer: User, rep: User) -> bool:
    """May the viewer see and change this person's records? `records_q` as a predicate."""
    return rep.pk == viewer.pk or manages(viewer, rep)


def may_run_meeting(
    viewer: User, *, organiser_id: int | None, team: Team | None, person: User | None
) -> bool:
    """May the viewer change a meeting, add action items and read the private notes?

    `team` is the meeting's team and `person` whom a one-on-one is about. The person
    themselves only takes part, even when they are a manager.
    """
    if not is_staff_member(viewer):
        return False
    if viewer.is_admin or organiser_id == viewer.pk:
        return True
    if team is not None and leads(viewer, team):
        return True
    return person is not None and manages(viewer, person)


def is_staff_member(viewer: User) -> bool:
    """Managers and admins: people who look after reps."""
    return viewer.is_admin or viewer.role == Role.MANAGER
