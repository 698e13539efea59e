"""Reads about people, always scoped by the viewer (see accounts/permissions.py)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from accounts.models import ImportJob, Invitation, Role, Team, User
from accounts.permissions import (
    account_changeable_q,
    directory_q,
    records_q,
    teams_q,
)


def users_visible_to(viewer: User) -> QuerySet[User]:
    """People whose records the viewer may see and change."""
    return User.objects.filter(records_q(viewer, rep_field="")).select_related("team")


def user_get_for(viewer: User, pk: int) -> User:
    """One person, or 404 when the viewer may not see them (never a revealing 403)."""
    return get_object_or_404(users_visible_to(viewer), pk=pk)


def user_get_for_change(viewer: User, pk: int) -> User:
    """One person whose account the viewer may change, or 404 (a superuser, for anyone
    but a superuser, is not found)."""
    return get_object_or_404(
        users_visible_to(viewer).filter(account_changeable_q(viewer)), pk=pk
    )


def active_reps_visible_to(viewer: User) -> QuerySet[User]:
    """Active reps whose records the viewer may see: who to check in with or invite."""
    return users_visible_to(viewer).filter(role=Role.REP, is_active=True)


def record_owner_for(viewer: User, *, person_id: int | None, field: str) -> User:
    """The person a record the viewer writes is for: themselves unless someone is named.

    A named person must be someone whose records the viewer may change; otherwise the
    named `field` gets the error (a 400, which reveals no more than a 404 would).
    """
    if person_id is None:
        return viewer
    person = users_visible_to(viewer).filter(pk=person_id).first()
    if person is None:
        raise ValidationError(
            {field: [_("You may only write for yourself or your team.")]}
        )
    return person


def teams_visible_to(viewer: User) -> QuerySet[Team]:
    """Teams the viewer may see (see `accounts.permissions.teams_q`)."""
    return Team.objects.filter(teams_q(viewer)).select_related("manager")


@dataclass(frozen=True)
class DirectoryEntry:
    person: User
    local_now: dt.datetime
    working_now: bool

    @property
    def local_time_label(self) -> str:
        """ "14:05 in Athens, Tue" — the zone's city, in the reader's language."""
        city = self.person.timezone.rsplit("/", 1)[-1].replace("_", " ")
        return f"{time_format(self.local_now, 'H:i')} · {city}, {date_format(self.local_now, 'D')}"

    @property
    def work_hours_label(self) -> str:
        return f"{self.person.work_start:%H:%M}–{self.person.work_end:%H:%M}"


def directory_entry(person: User, now: dt.datetime) -> DirectoryEntry:
    local_now = now.astimezone(person.zone)
    working_now = (
        local_now.isoweekday() in person.work_days
        and person.work_start <= local_now.time() < person.work_end
    )
    return DirectoryEntry(person=person, local_now=local_now, working_now=working_now)


@dataclass(frozen=True)
class TeamDirectory:
    team: Team
    manager: DirectoryEntry
    members: list[DirectoryEntry]


DIRECTORY_PAGE_SIZE = 10  # teams per page of the directory


def _directory_members(viewer: User, *, include_inactive: bool) -> QuerySet[User]:
    members = User.objects.filter(directory_q(viewer)).order_by(
        "first_name", "last_name"
    )
    return members if include_inactive else members.filter(is_active=True)


def _directory_teams(viewer: User) -> QuerySet[Team]:
    teams = Team.objects.select_related("manager")
    if not viewer.is_admin:
        teams = teams.filter(
            records_q(viewer, rep_field="manager") | _own_team_q(viewer)
        ).distinct()
    return teams


def _directory_entries(teams, now: dt.datetime) -> list[TeamDirectory]:
    return [
        TeamDirectory(
            team=team,
            manager=directory_entry(team.manager, now),
            members=[directory_entry(person, now) for person in team.visible_members],
        )
        for team in teams
    ]


def directory_for(
    *,
    viewer: User,
    team_id: int | None = None,
    include_inactive: bool = False,
    now: dt.datetime | None = None,
) -> list[TeamDirectory]:
    """Every team the viewer may see with its manager and members, in two queries."""
    now = now or timezone.now()
    members = _directory_members(viewer, include_inactive=include_inactive)
    teams = _directory_teams(viewer).prefetch_related(
        Prefetch("members", queryset=members, to_attr="visible_members")
    )
    if team_id:
        teams = teams.filter(pk=team_id)
    return _directory_entries(teams, now)


def directory_page(
    *,
    viewer: User,
    search: str = "",
    page: str | int | None = 1,
    team_id: int | None = None,
    now: dt.datetime | None = None,
) -> tuple[Page, list[TeamDirectory]]:
    """A page of the directory (teams by name, `DIRECTORY_PAGE_SIZE` a page), in three
    queries whatever the size of the organisation: count, teams, their members.

    With a `search`, a team is shown if its name holds every word of it, or with the
    members whose name or email holds every word (the team's other members left out).
    """
    now = now or timezone.now()
    members = _directory_members(viewer, include_inactive=False)
    teams = _directory_teams(viewer).order_by("name", "pk")
    if team_id:
        teams = teams.filter(pk=team_id)
    words = search.split()[:5]
    if words:
        named = Q()
        matching = members
        for word in words:
            named &= Q(name__icontains=word)
            matching = matching.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        teams = teams.filter(named | Q(pk__in=matching.order_by().values("team_id")))
        name_match = Q(team__name__icontains=words[0])
        for word in words[1:]:
            name_match &= Q(team__name__icontains=word)
        members = members.filter(
            Q(pk__in=matching.order_by().values("pk")) | name_match
        )
    teams = teams.prefetch_related(
        Prefetch("members", queryset=members, to_attr="visible_members")
    )
    shown = Paginator(teams, DIRECTORY_PAGE_SIZE).get_page(page)
    return shown, _directory_entries(shown.object_list, now)


def _own_team_q(viewer: User) -> Q:
    return Q(pk=viewer.team_id) if viewer.team_id else Q(pk__in=[])


def invitations_pending() -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            accepted_at=None, revoked_at=None, user__is_active=True
        )
        .select_related("user", "user__team", "created_by")
        .order_by("-created_at")
    )


def import_jobs_recent(*, limit: int = 10) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").defer("content")[:limit]


@dataclass(frozen=True)
class AuditEntry:
    when: dt.datetime
    who: User | None
    kind: str  # "user" | "team"
    subject: str
    action: str  # "created" | "changed" | "deleted"
    changes: list[tuple[str, str, str]]  # (field, old, new)


def audit_value(value) -> str:
    """A changed field's value as people read it: times in the reader's zone and
    format, dates and yes or no in their language ("" for none)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def audit_log_page(*, kind: str, offset: int, limit: int) -> list[AuditEntry]:
    """A page of changes to users or teams, newest first, with what changed (3 queries)."""
    history = (User if kind == "user" else Team).history.model
    records = list(
        history.objects.select_related("history_user").order_by("-history_date", "-pk")[
            offset : offset + limit
        ]
    )
    timelines: dict[int, list] = {}
    if records:
        # Each object's full timeline in one query, to find every record's predecessor.
        for earlier in history.objects.filter(id__in={r.id for r in records}).order_by(
            "history_date", "pk"
        ):
            timelines.setdefault(earlier.id, []).append(earlier)
    entries = []
    for record in records:
        timeline = timelines.get(record.id, [])
        position = next((i for i, r in enumerate(timeline) if r.pk == record.pk), 0)
        previous = timeline[position - 1] if position > 0 else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [
                (c.field, audit_value(c.old), audit_value(c.new)) for c in delta.changes
            ]
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=record.history_user,
                kind=kind,
                subject=str(record.instance),
                action={"+": "created", "~": "changed", "-": "deleted"}[
                    record.history_type
                ],
                changes=changes,
            )
        )
    return entries
