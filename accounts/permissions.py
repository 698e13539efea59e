"""The one permission policy: who may see and change whose records.

Reps see and change their own records and see their team's directory; managers see and
change the records of the members of the teams they lead; admins (and superusers) see and
change everything. Every page, endpoint and selector scopes its rows with these functions,
so an object outside the viewer's scope is simply not found (404), never forbidden (403).
"""

from django.db.models import Q

from accounts.models import Role, User


def records_q(viewer: User, *, rep_field: str = "rep") -> Q:
    """Rows whose `rep_field` (a path to a User) the viewer may see and change."""
    if viewer.is_admin:
        return Q()
    prefix = f"{rep_field}__" if rep_field else ""
    own = Q(**{f"{prefix}pk": viewer.pk})
    if viewer.role == Role.MANAGER:
        return own | Q(**{f"{prefix}team__manager": viewer})
    return own


def directory_q(viewer: User) -> Q:
    """Users the viewer may see in a directory: a rep also sees their own team."""
    if viewer.is_admin:
        return Q()
    scope = records_q(viewer, rep_field="")
    if viewer.team_id:
        scope |= Q(team_id=viewer.team_id) | Q(managed_teams=viewer.team_id)
    return scope


def may_manage(viewer: User, rep: User) -> bool:
    """May the viewer change this person's records (targets, entries, meetings)?"""
    if viewer.is_admin:
        return True
    if viewer.role == Role.MANAGER:
        return rep.pk == viewer.pk or (
            rep.team_id is not None and rep.team.manager_id == viewer.pk
        )
    return rep.pk == viewer.pk


def may_see(viewer: User, rep: User) -> bool:
    """May the viewer see this person's records? The same rule as changing them."""
    return may_manage(viewer, rep)


def is_staff_member(viewer: User) -> bool:
    """Managers and admins: people who look after reps."""
    return viewer.is_admin or viewer.role == Role.MANAGER
