"""Every non-trivial read of meetings, scoped by the viewer with the one permission policy.

Who sees which meeting is `accounts.permissions.meetings_q`: the people taking part, whoever
sees the records of the person a one-on-one is about, the team's manager, and admins.
Querysets come back with their related rows already loaded, so templates and serializers
trigger no queries.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import TRUSTED_LEVELS, Role, Team, User
from meetings import cadence
from meetings.availability import LocalSlot, local_slots_for

# Re-exported: callers read busy time and find a time through the selectors.
from meetings.busy_times import busy_intervals_by_person as busy_intervals_by_person
from meetings.busy_times import busy_intervals_for as busy_intervals_for
from meetings.busy_times import time_suggestions_for as time_suggestions_for
from meetings.models import (
    CHECK_IN_KINDS,
    ONE_ON_ONE_KINDS,
    ActionItem,
    AutonomyChange,
    CalendarFeedToken,
    Meeting,
    MeetingStatus,
    Participant,
)


def meetings_visible_to(viewer: User) -> QuerySet[Meeting]:
    """Meetings the viewer may see, by the one policy (`permissions.meetings_q`)."""
    taking_part = [
        Q(pk__in=Participant.objects.filter(user=viewer).values("meeting_id")),
        Q(organiser=viewer),
    ]
    return Meeting.objects.filter(
        permissions.meetings_q(
            viewer, taking_part=taking_part, meetings=Meeting.objects.all()
        )
    )


def with_details(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings with everything a list row or a serializer shows, in a fixed query count."""
    return meetings.select_related(
        "organiser", "team__manager", "rep__team", "series"
    ).prefetch_related(
        Prefetch(
            "attendance",
            queryset=Participant.objects.select_related("user").order_by(
                "user__first_name", "user__last_name", "user__email"
            ),
        ),
        "agenda_items",
    )


def meeting_list_for(
    *,
    viewer: User,
    user: User | None = None,
    kind: str | None = None,
    starts_from: dt.datetime | None = None,
    starts_to: dt.datetime | None = None,
) -> QuerySet[Meeting]:
    meetings = meetings_visible_to(viewer)
    if user is not None:
        meetings = meetings.filter(
            pk__in=Participant.objects.filter(user=user).values("meeting_id")
        )
    if kind:
        meetings = meetings.filter(kind=kind)
    if starts_from:
        meetings = meetings.filter(starts_at__gte=starts_from)
    if starts_to:
        meetings = meetings.filter(starts_at__lt=starts_to)
    return with_details(meetings).order_by("starts_at", "pk")


def my_meetings(*, viewer: User, upcoming: bool, now: dt.datetime | None = None):
    """The meetings the viewer takes part in: upcoming soonest first, past latest first."""
    now = now or timezone.now()
    mine = Meeting.objects.filter(
        pk__in=Participant.objects.filter(user=viewer).values("meeting_id")
    )
    if upcoming:
        return with_details(
            mine.filter(starts_at__gte=now - dt.timedelta(hours=1)).exclude(
                status=MeetingStatus.DONE
            )
        ).order_by("starts_at", "pk")
    return with_details(
        mine.filter(
            Q(starts_at__lt=now - dt.timedelta(hours=1)) | Q(status=MeetingStatus.DONE)
        )
    ).order_by("-starts_at", "-pk")


def may_run_meeting(viewer: User, meeting: Meeting) -> bool:
    """May the viewer change the meeting, add action items and read the private notes?"""
    return permissions.may_run_meeting(
        viewer,
        organiser_id=meeting.organiser_id,
        team=meeting.team if meeting.team_id else None,
        person=meeting.rep if meeting.rep_id else None,
    )


def action_items_for_meeting(*, meeting: Meeting) -> list[ActionItem]:
    return list(meeting.action_items.select_related("owner").order_by("pk"))


def carried_action_items_for(*, meeting: Meeting) -> list[ActionItem]:
    """Open action items of the rep from earlier meetings: carried into this agenda."""
    if not meeting.rep_id or meeting.kind not in ONE_ON_ONE_KINDS:
        return []
    return list(
        ActionItem.objects.filter(
            owner_id=meeting.rep_id,
            done_at__isnull=True,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .exclude(meeting=meeting)
        .select_related("owner", "meeting")
        .order_by("due_date", "pk")
    )


def open_action_items_for(*, user: User) -> QuerySet[ActionItem]:
    """The person's open action items, for the Today page (soonest due first)."""
    return (
        ActionItem.objects.filter(owner=user, done_at__isnull=True)
        .select_related("meeting")
        .order_by("due_date", "pk")
    )


def open_action_items_by_owner(
    *, users: list[User], limit: int
) -> dict[int, list[ActionItem]]:
    """The first `limit` open action items of each person (soonest due first), one query."""
    items: dict[int, list[ActionItem]] = defaultdict(list)
    for item in ActionItem.objects.filter(
        owner__in=users, done_at__isnull=True
    ).order_by("owner_id", "due_date", "pk"):
        if len(items[item.owner_id]) < limit:
            items[item.owner_id].append(item)
    return items


def action_items_visible_to(viewer: User) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(meeting__in=meetings_visible_to(viewer))
        .select_related("owner", "meeting")
        .order_by("pk")
    )


def one_on_one_history(*, rep: User) -> QuerySet[Meeting]:
    """Every one-on-one meeting about the rep, latest first, with its action items."""
    return (
        with_details(Meeting.objects.filter(rep=rep, kind__in=ONE_ON_ONE_KINDS))
        .prefetch_related(
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner").order_by("pk"),
            )
        )
        .order_by("-starts_at", "-pk")
    )


def autonomy_changes_for(*, rep: User) -> QuerySet[AutonomyChange]:
    return AutonomyChange.objects.filter(rep=rep).select_related("by")


def autonomy_changes_visible_to(viewer: User) -> QuerySet[AutonomyChange]:
    """The autonomy changes of the people whose records the viewer sees, newest first."""
    return AutonomyChange.objects.filter(permissions.records_q(viewer)).order_by(
        "-changed_at", "-pk"
    )


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    meetings: list[Meeting]


def team_week(
    *, viewer: User, team: Team, monday: dt.date
) -> tuple[list[CalendarDay], int]:
    """The week from `monday`, in the viewer's zone: the team's meetings the viewer sees."""
    zone = viewer.zone
    start = dt.datetime.combine(monday, dt.time.min, zone)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, zone)
    in_team = Q(team=team) | Q(
        pk__in=Participant.objects.filter(user__team=team).values("meeting_id")
    )
    meetings = list(
        with_details(
            meetings_visible_to(viewer).filter(
                in_team, starts_at__gte=start, starts_at__lt=end
            )
        ).order_by("starts_at", "pk")
    )
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        days.append(
            CalendarDay(
                day=day,
                meetings=[
                    m for m in meetings if m.starts_at.astimezone(zone).date() == day
                ],
            )
        )
    return days, len(meetings)


def feed_token_for(*, user: User) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def recent_check_ins(
    *, rep: User, around: dt.datetime, days: int, exclude_pk: int | None = None
) -> int:
    """Live check-ins with the rep within `days` of `around` (either side)."""
    window = dt.timedelta(days=days)
    check_ins = Meeting.objects.filter(
        rep=rep,
        kind__in=CHECK_IN_KINDS,
        starts_at__gt=around - window,
        starts_at__lt=around + window,
    ).exclude(status=MeetingStatus.CANCELLED)
    if exclude_pk:
        check_ins = check_ins.exclude(pk=exclude_pk)
    return check_ins.count()


def people_invited(
    *, organiser: User, team: Team | None, participants: list[User]
) -> list[User]:
    """Who a meeting would invite: the organiser, the team and its manager, and names."""
    people = {organiser.pk: organiser}
    if team is not None:
        people.setdefault(team.manager_id, team.manager)
        for member in team.members.filter(is_active=True):
            people.setdefault(member.pk, member)
    for person in participants:
        people.setdefault(person.pk, person)
    return list(people.values())


def over_checking_warning(
    *, rep: User, starts_at: dt.datetime, exclude_pk: int | None = None
) -> str | None:
    """The warning for one check-in too many with an on-target, trusted rep (or None)."""
    if rep.autonomy_level not in TRUSTED_LEVELS:
        return None
    days = cadence.cadence_days_for(rep.autonomy_level)
    if not recent_check_ins(
        rep=rep, around=starts_at, days=days, exclude_pk=exclude_pk
    ):
        return None
    if not cadence.last_complete_week_on_target(rep=rep, on=rep.local_date()):
        return None
    return _(
        "%(name)s is on target; frequent check-ins can send the wrong message. "
        "The recommended rhythm for an %(level)s rep is %(cadence)s."
    ) % {
        "name": rep.get_full_name() or rep.email,
        "level": rep.get_autonomy_level_display().lower(),
        "cadence": cadence.cadence_label(rep.autonomy_level),
    }


@dataclass(frozen=True)
class SchedulePreview:
    local_slots: list[LocalSlot]
    warnings: list[str]
    needs_reason: bool = False  # a check-in beyond a trusted rep's cadence


def schedule_preview(
    *,
    organiser: User,
    kind: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    team: Team | None = None,
    participants: list[User] = (),
) -> SchedulePreview:
    """Each person's local time for the slot, and what the organiser should know first.

    Warnings (outside someone's work hours, over-checking a trusted rep) never block a
    booking; the form asks the organiser to confirm instead.
    """
    people = people_invited(
        organiser=organiser, team=team, participants=list(participants)
    )
    slots = local_slots_for(
        people=people, starts_at=starts_at, duration_minutes=duration_minutes
    )
    warnings = []
    outside = [slot for slot in slots if not slot.inside_work_hours]
    if outside:
        warnings.append(
            _("This time is outside the work hours of %(names)s.")
            % {
                "names": ", ".join(
                    "{} ({})".format(
                        slot.person.get_full_name() or slot.person.email,
                        formats.time_format(slot.starts_local.time(), "H:i"),
                    )
                    for slot in outside
                )
            }
        )
    over_checking = over_checking_warnings(
        kind=kind, participants=participants, starts_at=starts_at
    )
    return SchedulePreview(
        local_slots=slots,
        warnings=warnings + over_checking,
        needs_reason=bool(over_checking),
    )


def over_checking_warnings(
    *, kind: str, participants: list[User], starts_at: dt.datetime
) -> list[str]:
    """The over-checking warning for each rep a check-in is with (none for other kinds).

    A check-in booked despite one needs a reason (`meetings.services.check_in_reason`).
    """
    if kind not in CHECK_IN_KINDS:
        return []
    warnings = (
        over_checking_warning(rep=person, starts_at=starts_at)
        for person in participants
        if person.role == Role.REP
    )
    return [warning for warning in warnings if warning]
