"""Every write about meetings: scheduling, series, notes, action items, feeds, reminders.

The pages, the API and the Celery tasks all call these functions. Each takes keyword
arguments, runs in one transaction and raises `ValidationError` with a message a person
can act on. Autonomy levels are in `meetings/autonomy.py`, reminder emails in
`meetings/reminders.py`, a rep's arrival and departure in `meetings/lifecycle.py`.
"""

import datetime as dt
import logging
import secrets
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, Team, User
from accounts.permissions import is_staff_member, may_manage
from meetings.models import (
    ONE_TO_ONE_KINDS,
    ActionItem,
    AgendaItem,
    CalendarFeedToken,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Participant,
    Recurrence,
)
from meetings.selectors import may_run_meeting, people_invited

logger = logging.getLogger(__name__)

MIN_DURATION, MAX_DURATION = 5, 480
MAX_DAYS_AHEAD = 5 * 366


def video_url_new() -> str:
    """A fresh, unguessable room on the configured video service."""
    base = settings.VIDEO_BASE_URL.rstrip("/")
    return f"{base}/salesteam-{secrets.token_urlsafe(16)}"


def _clean_video_url(video_url: str) -> str:
    video_url = (video_url or "").strip()
    if not video_url:
        return video_url_new()
    try:
        URLValidator(schemes=["https", "http"])(video_url)
    except ValidationError as error:
        raise ValidationError(
            {"video_url": _("Paste the full meeting link, starting with https://.")}
        ) from error
    return video_url


def _check_timing(
    *, starts_at: dt.datetime, duration_minutes: int, now: dt.datetime
) -> None:
    errors = {}
    if timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give the start time with its time zone.")
    elif starts_at < now - dt.timedelta(minutes=5):
        errors["starts_at"] = _("A meeting cannot be scheduled in the past.")
    elif starts_at > now + dt.timedelta(days=MAX_DAYS_AHEAD):
        errors["starts_at"] = _("A meeting can be booked up to five years ahead.")
    if not MIN_DURATION <= (duration_minutes or 0) <= MAX_DURATION:
        errors["duration_minutes"] = _(
            "A meeting lasts between %(low)s and %(high)s minutes."
        ) % {"low": MIN_DURATION, "high": MAX_DURATION}
    if errors:
        raise ValidationError(errors)


def _agenda_lines(agenda: str | Iterable[str]) -> list[str]:
    lines = agenda.splitlines() if isinstance(agenda, str) else list(agenda)
    return [line.strip()[:500] for line in lines if line and line.strip()]


def _check_people(
    *,
    organiser: User,
    kind: str,
    team: Team | None,
    participants: list[User],
) -> User | None:
    """Validate who is invited; return the rep a one-to-one meeting is about."""
    if not is_staff_member(organiser):
        raise ValidationError(_("Only managers and admins schedule meetings."))
    if team is not None and not (organiser.is_admin or team.manager_id == organiser.pk):
        raise ValidationError({"team": _("You can only invite a team you manage.")})
    for person in participants:
        if not person.is_active:
            raise ValidationError(
                {"participants": _("%(name)s is no longer active.") % {"name": person}}
            )
        if person.role == Role.REP and not may_manage(organiser, person):
            raise ValidationError(
                {
                    "participants": _("%(name)s is not in a team you manage.")
                    % {"name": person}
                }
            )
    others = [person for person in participants if person.pk != organiser.pk]
    if kind in ONE_TO_ONE_KINDS:
        if team is not None or len(others) != 1:
            raise ValidationError(
                {
                    "participants": _(
                        "A one-to-one meeting has exactly one other participant."
                    )
                }
            )
        return others[0] if others[0].role == Role.REP else None
    if team is None and not others:
        raise ValidationError(
            {"participants": _("Invite a team or at least one other person.")}
        )
    return None


def _meeting_create(
    *,
    kind: str,
    title: str,
    organiser: User,
    team: Team | None,
    rep: User | None,
    people: list[User],
    starts_at: dt.datetime,
    duration_minutes: int,
    video_url: str,
    agenda_lines: list[str],
    series: MeetingSeries | None = None,
) -> Meeting:
    meeting = Meeting(
        kind=kind,
        title=title,
        organiser=organiser,
        team=team,
        rep=rep,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        video_url=video_url,
        series=series,
        series_slot=starts_at if series else None,
    )
    return _meetings_create([(meeting, people, agenda_lines)])[0]


def _meetings_create(
    rows: list[tuple[Meeting, list[User], list[str]]],
) -> list[Meeting]:
    """Insert meetings with their participants and agendas: three queries in all."""
    meetings = Meeting.objects.bulk_create(
        [meeting for meeting, _people, _lines in rows]
    )
    Participant.objects.bulk_create(
        [
            Participant(meeting=meeting, user=person)
            for meeting, people, _lines in rows
            for person in people
        ]
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=meeting, position=position, text=line)
            for meeting, _people, lines in rows
            for position, line in enumerate(lines)
        ]
    )
    return meetings


@dataclass(frozen=True)
class OneToOneDraft:
    """A one-to-one meeting a job wants booked (see `one_to_ones_book`)."""

    organiser: User
    participant: User
    kind: str
    title: str
    starts_at: dt.datetime
    duration_minutes: int
    agenda: tuple[str, ...] = ()


def one_to_ones_book(
    *, drafts: list[OneToOneDraft], now: dt.datetime | None = None
) -> list[Meeting | None]:
    """Book many one-to-one meetings at once, each checked as `meeting_schedule` would.

    For jobs: a fixed number of queries whatever the number of drafts. A draft that does
    not pass the checks is logged and skipped (None in its place), so one bad draft never
    stops the others.
    """
    now = now or timezone.now()
    rows, booked = [], []
    for draft in drafts:
        try:
            if draft.kind not in ONE_TO_ONE_KINDS:
                raise ValidationError({"kind": _("Choose a kind of meeting.")})
            _check_timing(
                starts_at=draft.starts_at,
                duration_minutes=draft.duration_minutes,
                now=now,
            )
            rep = _check_people(
                organiser=draft.organiser,
                kind=draft.kind,
                team=None,
                participants=[draft.participant],
            )
        except ValidationError:
            logger.warning("Not booked: %s", draft.title, exc_info=True)
            booked.append(None)
            continue
        meeting = Meeting(
            kind=draft.kind,
            title=draft.title.strip()[:200],
            organiser=draft.organiser,
            rep=rep,
            starts_at=draft.starts_at,
            duration_minutes=draft.duration_minutes,
            video_url=video_url_new(),
        )
        people = [draft.organiser, draft.participant]
        rows.append((meeting, people, _agenda_lines(draft.agenda)))
        booked.append(meeting)
    _meetings_create(rows)
    return booked


@transaction.atomic
def meeting_schedule(
    *,
    organiser: User,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    team: Team | None = None,
    participants: Iterable[User] = (),
    video_url: str = "",
    agenda: str | Iterable[str] = "",
    recurrence: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """Book a meeting (or the first of a recurring series) and invite its people.

    With `recurrence`, a `MeetingSeries` anchored in the organiser's time zone is created
    and its occurrences are generated up to the horizon; the first one is returned.
    """
    now = now or timezone.now()
    participants = list(participants)
    title = (title or "").strip()
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose a kind of meeting.")})
    if not title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    if recurrence and recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": _("Choose weekly, biweekly or monthly.")})
    if recurrence and kind == MeetingKind.GOAL_SETTING:
        raise ValidationError(
            {"recurrence": _("A goal-setting meeting does not repeat.")}
        )
    _check_timing(starts_at=starts_at, duration_minutes=duration_minutes, now=now)
    rep = _check_people(
        organiser=organiser, kind=kind, team=team, participants=participants
    )
    video_url = _clean_video_url(video_url)
    agenda_lines = _agenda_lines(agenda)
    if not recurrence:
        return _meeting_create(
            kind=kind,
            title=title,
            organiser=organiser,
            team=team,
            rep=rep,
            people=people_invited(
                organiser=organiser, team=team, participants=participants
            ),
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            video_url=video_url,
            agenda_lines=agenda_lines,
        )
    local_start = starts_at.astimezone(organiser.zone)
    series = MeetingSeries.objects.create(
        kind=kind,
        title=title,
        organiser=organiser,
        team=team,
        recurrence=recurrence,
        timezone=organiser.timezone,
        starts_on=local_start.date(),
        local_time=local_start.time().replace(second=0, microsecond=0),
        duration_minutes=duration_minutes,
        video_url=video_url,
        agenda="\n".join(agenda_lines),
    )
    series.participants.set(participants)
    # Always the first occurrence, even when it lies beyond the generation horizon.
    _series_fill(
        series=series,
        start=min(now, starts_at),
        end=max(now + _horizon(), starts_at + dt.timedelta(minutes=1)),
    )
    return series.meetings.order_by("series_slot").first()


def _horizon(horizon_days: int | None = None) -> dt.timedelta:
    return dt.timedelta(days=horizon_days or settings.MEETINGS_HORIZON_DAYS)


RRULE_FREQUENCY = {
    Recurrence.WEEKLY: (rrule.WEEKLY, 1),
    Recurrence.BIWEEKLY: (rrule.WEEKLY, 2),
    Recurrence.MONTHLY: (rrule.MONTHLY, 1),
}


def series_slots(
    *, series: MeetingSeries, start: dt.datetime, end: dt.datetime
) -> list[dt.datetime]:
    """The series' occurrence starts in [start, end), as aware UTC datetimes.

    The rule runs on naive wall-clock times in the series' zone, so each occurrence keeps
    its local time whatever the UTC offset that day (DST).
    """
    zone = zoneinfo.ZoneInfo(series.timezone)
    frequency, interval = RRULE_FREQUENCY[series.recurrence]
    until = dt.datetime.combine(series.ends_on, dt.time.max) if series.ends_on else None
    rule = rrule.rrule(
        frequency,
        interval=interval,
        dtstart=dt.datetime.combine(series.starts_on, series.local_time),
        until=until,
    )
    margin = dt.timedelta(days=1)
    local_from = start.astimezone(zone).replace(tzinfo=None) - margin
    local_to = end.astimezone(zone).replace(tzinfo=None) + margin
    slots = []
    for wall_clock in rule.between(local_from, local_to, inc=True):
        slot = wall_clock.replace(tzinfo=zone).astimezone(dt.UTC)
        if start <= slot < end:
            slots.append(slot)
    return slots


def _series_fill(*, series: MeetingSeries, start: dt.datetime, end: dt.datetime) -> int:
    """Create the series' missing occurrences in [start, end); return how many."""
    slots = series_slots(series=series, start=start, end=end)
    if not slots:
        return 0
    existing = set(
        series.meetings.filter(series_slot__in=slots).values_list(
            "series_slot", flat=True
        )
    )
    missing = [slot for slot in slots if slot not in existing]
    if not missing:
        return 0
    participants = list(series.participants.all())
    rep = None
    if series.kind in ONE_TO_ONE_KINDS:
        rep = next((p for p in participants if p.role == Role.REP), None)
    people = people_invited(
        organiser=series.organiser, team=series.team, participants=participants
    )
    agenda_lines = _agenda_lines(series.agenda)
    created = 0
    for slot in missing:
        try:
            # A savepoint: a concurrent run that created this slot first is not an error.
            with transaction.atomic():
                _meeting_create(
                    kind=series.kind,
                    title=series.title,
                    organiser=series.organiser,
                    team=series.team,
                    rep=rep,
                    people=people,
                    starts_at=slot,
                    duration_minutes=series.duration_minutes,
                    video_url=series.video_url,
                    agenda_lines=agenda_lines,
                    series=series,
                )
        except IntegrityError:
            continue
        created += 1
    return created


def series_generate_occurrences(
    *, horizon_days: int | None = None, now: dt.datetime | None = None
) -> int:
    """Create every live series' occurrences up to the horizon; idempotent.

    Each series is filled in its own transaction; the unique (series, slot) constraint
    makes a second or concurrent run create nothing.
    """
    now = now or timezone.now()
    end = now + _horizon(horizon_days)
    live = MeetingSeries.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=now.date() - dt.timedelta(days=1))
    ).select_related("organiser", "team__manager")
    created = 0
    for series in live:
        with transaction.atomic():
            created += _series_fill(series=series, start=now, end=end)
    return created


def _check_may_run(*, meeting: Meeting, by: User) -> None:
    if not may_run_meeting(by, meeting):
        raise ValidationError(
            _("Only the organiser or the rep's manager can change this meeting.")
        )


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by: User,
    scope: str = "this",
    title: str | None = None,
    starts_at: dt.datetime | None = None,
    duration_minutes: int | None = None,
    video_url: str | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Change one meeting, or ("following") this occurrence and the rest of its series.

    "following" ends the old series the day before this occurrence and starts a new series
    from it; later occurrences move by the same local shift and keep their notes.
    """
    now = now or timezone.now()
    _check_may_run(meeting=meeting, by=by)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("Only a scheduled meeting can be changed."))
    if scope not in {"this", "following"}:
        raise ValidationError(
            {"scope": _("Choose this meeting or this and following.")}
        )
    new_title = (title if title is not None else meeting.title).strip()
    if not new_title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    new_start = starts_at or meeting.starts_at
    new_duration = duration_minutes or meeting.duration_minutes
    new_video = (
        _clean_video_url(video_url)
        if video_url is not None and video_url != meeting.video_url
        else meeting.video_url
    )
    if new_start != meeting.starts_at or new_duration != meeting.duration_minutes:
        _check_timing(starts_at=new_start, duration_minutes=new_duration, now=now)
    changes = {
        "title": new_title,
        "duration_minutes": new_duration,
        "video_url": new_video,
    }
    if scope == "this" or meeting.series is None:
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=new_start, updated_at=now, **changes
        )
        meeting.refresh_from_db()
        return meeting

    old = meeting.series
    zone = zoneinfo.ZoneInfo(old.timezone)
    old_local = meeting.series_slot.astimezone(zone).replace(tzinfo=None)
    new_local = new_start.astimezone(zone).replace(tzinfo=None)
    shift = new_local - old_local
    following = list(
        old.meetings.filter(series_slot__gte=meeting.series_slot).exclude(
            status=MeetingStatus.DONE
        )
    )
    old.ends_on = old_local.date() - dt.timedelta(days=1)
    old.save(update_fields=["ends_on"])
    successor = MeetingSeries.objects.create(
        kind=old.kind,
        title=new_title,
        organiser=old.organiser,
        team=old.team,
        recurrence=old.recurrence,
        timezone=old.timezone,
        starts_on=new_local.date(),
        local_time=new_local.time(),
        duration_minutes=new_duration,
        video_url=new_video,
        agenda=old.agenda,
    )
    successor.participants.set(old.participants.all())
    for occurrence in following:
        local = occurrence.series_slot.astimezone(zone).replace(tzinfo=None) + shift
        slot = local.replace(tzinfo=zone).astimezone(dt.UTC)
        occurrence.series = successor
        occurrence.series_slot = slot
        occurrence.starts_at = slot
        for field, value in changes.items():
            setattr(occurrence, field, value)
        occurrence.save()
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, by: User, scope: str = "this", now: dt.datetime | None = None
) -> int:
    """Cancel a meeting (or it and the rest of its series); return how many were cancelled.

    Cancelled occurrences stay (calendars show them as cancelled) and are never re-created.
    """
    now = now or timezone.now()
    _check_may_run(meeting=meeting, by=by)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("This meeting is not scheduled any more."))
    targets = Meeting.objects.filter(pk=meeting.pk)
    if scope == "following" and meeting.series is not None:
        series = meeting.series
        slot_local = meeting.series_slot.astimezone(zoneinfo.ZoneInfo(series.timezone))
        series.ends_on = slot_local.date() - dt.timedelta(days=1)
        series.save(update_fields=["ends_on"])
        targets = series.meetings.filter(
            series_slot__gte=meeting.series_slot, status=MeetingStatus.SCHEDULED
        )
    return targets.update(status=MeetingStatus.CANCELLED, updated_at=now)


@transaction.atomic
def meeting_record_notes(
    *,
    meeting: Meeting,
    by: User,
    notes: str,
    private_notes: str | None = None,
    attended: Iterable[int] | None = None,
    mark_done: bool = False,
) -> Meeting:
    """Save the shared notes (and the manager's private notes, attendance, done)."""
    _check_may_run(meeting=meeting, by=by)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no notes."))
    meeting.notes = notes.strip()
    if private_notes is not None:
        meeting.private_notes = private_notes.strip()
    if mark_done:
        meeting.status = MeetingStatus.DONE
    meeting.save(update_fields=["notes", "private_notes", "status", "updated_at"])
    if attended is not None:
        present = set(attended)
        participants = list(meeting.attendance.all())
        for participant in participants:
            participant.attended = participant.user_id in present
        Participant.objects.bulk_update(participants, ["attended"])
    return meeting


@transaction.atomic
def action_item_create(
    *,
    meeting: Meeting,
    by: User,
    owner: User,
    text: str,
    due_date: dt.date | None = None,
) -> ActionItem:
    _check_may_run(meeting=meeting, by=by)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what is to be done.")})
    if not meeting.attendance.filter(user=owner).exists():
        raise ValidationError(
            {"owner": _("The owner must be one of the meeting's participants.")}
        )
    return ActionItem.objects.create(
        meeting=meeting, owner=owner, text=text[:500], due_date=due_date, created_by=by
    )


@transaction.atomic
def action_item_complete(
    *, item: ActionItem, by: User, done: bool = True, now: dt.datetime | None = None
) -> ActionItem:
    """Tick an action item done (or open it again): its owner or the meeting's runner."""
    if by.pk != item.owner_id and not may_run_meeting(by, item.meeting):
        raise ValidationError(_("Only the owner or the manager can tick this item."))
    item.done_at = (item.done_at or now or timezone.now()) if done else None
    item.save(update_fields=["done_at"])
    return item


@transaction.atomic
def feed_token_rotate(
    *, user: User, now: dt.datetime | None = None
) -> CalendarFeedToken:
    """Give the person a new feed URL; the old one stops working at once."""
    CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
    return CalendarFeedToken.objects.create(user=user)


@transaction.atomic
def feed_token_revoke(*, user: User, now: dt.datetime | None = None) -> int:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
