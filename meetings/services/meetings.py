"""Scheduling, one-on-ones booked by jobs, changing and cancelling meetings."""

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Team, User
from core import events
from meetings.models import (
    ONE_ON_ONE_KINDS,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Recurrence,
)
from meetings.rotation import rotation_times_for
from meetings.selectors import people_invited
from meetings.services.check_in_reason import check_reason, reason_notify
from meetings.services.rules import (
    agenda_lines_from,
    check_may_run,
    check_people,
    check_timing,
    clean_video_url,
    meeting_create,
    meetings_create,
    video_url_new,
)
from meetings.services.series import (
    horizon,
    occurrence_start,
    rotation_index,
    series_fill,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OneOnOneDraft:
    """A one-on-one meeting a job wants booked (see `one_on_ones_book`)."""

    organiser: User
    participant: User
    kind: str
    title: str
    starts_at: dt.datetime
    duration_minutes: int
    agenda: tuple[str, ...] = ()


def one_on_ones_book(
    *, drafts: list[OneOnOneDraft], now: dt.datetime | None = None
) -> list[Meeting | None]:
    """Book many one-on-one meetings at once, each checked as `meeting_schedule` would.

    For jobs: a fixed number of queries whatever the number of drafts. A draft that does
    not pass the checks is logged and skipped (None in its place), so one bad draft never
    stops the others.
    """
    now = now or timezone.now()
    rows, booked = [], []
    for draft in drafts:
        try:
            if draft.kind not in ONE_ON_ONE_KINDS:
                raise ValidationError({"kind": _("Choose a kind of meeting.")})
            check_timing(
                starts_at=draft.starts_at,
                duration_minutes=draft.duration_minutes,
                now=now,
            )
            rep = check_people(
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
        rows.append((meeting, people, agenda_lines_from(draft.agenda)))
        booked.append(meeting)
    meetings_create(rows)
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
    reason: str = "",
    alternate_times: Iterable[dt.time] = (),
    now: dt.datetime | None = None,
) -> Meeting:
    """Book a meeting (or the first of a recurring series) and invite its people.

    With `recurrence`, a `MeetingSeries` anchored in the organiser's time zone is created
    and its occurrences are generated up to the horizon; the first one is returned.
    A check-in beyond a trusted rep's cadence needs a `reason`, which the rep is told
    (it belongs to this booking, not to a series' later occurrences).
    `alternate_times` (the organiser's local times) make a weekly series rotate: the
    first occurrence at `starts_at`'s time, the next at the first alternate, and so on.
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
    check_timing(starts_at=starts_at, duration_minutes=duration_minutes, now=now)
    rotation_times = rotation_times_for(
        first=starts_at.astimezone(organiser.zone).time(),
        alternate=list(alternate_times),
        recurrence=recurrence,
    )
    rep = check_people(
        organiser=organiser, kind=kind, team=team, participants=participants
    )
    reason = check_reason(
        kind=kind, participants=participants, starts_at=starts_at, reason=reason
    )
    video_url = clean_video_url(video_url)
    agenda_lines = agenda_lines_from(agenda)
    if not recurrence:
        meeting = meeting_create(
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
            reason=reason,
        )
        reason_notify(meeting=meeting, participants=participants)
        return meeting
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
        rotation_times=rotation_times,
    )
    series.participants.set(participants)
    # Always the first occurrence, even when it lies beyond the generation horizon.
    series_fill(
        series=series,
        start=min(now, starts_at),
        end=max(now + horizon(), starts_at + dt.timedelta(minutes=1)),
    )
    first = series.meetings.order_by("series_slot").first()
    if reason:
        first.reason = reason
        first.save(update_fields=["reason"])
        reason_notify(meeting=first, participants=participants)
    return first


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
    check_may_run(meeting=meeting, by=by)
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
        clean_video_url(video_url)
        if video_url is not None and video_url != meeting.video_url
        else meeting.video_url
    )
    if new_start != meeting.starts_at or new_duration != meeting.duration_minutes:
        check_timing(starts_at=new_start, duration_minutes=new_duration, now=now)
    changes = {
        "title": new_title,
        "duration_minutes": new_duration,
        "video_url": new_video,
    }
    moved = new_start != meeting.starts_at or new_duration != meeting.duration_minutes
    if scope == "this" or meeting.series is None:
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=new_start, updated_at=now, **changes
        )
        if moved:
            events.publish("meeting.rescheduled", meeting_id=meeting.pk)
        meeting.refresh_from_db()
        return meeting

    old = meeting.series
    zone = zoneinfo.ZoneInfo(old.timezone)
    old_local = meeting.series_slot.astimezone(zone).replace(tzinfo=None)
    new_local = new_start.astimezone(zone).replace(tzinfo=None)
    rotation_times = old.rotation_times
    if rotation_times:
        if new_start != meeting.starts_at:
            raise ValidationError(
                {
                    "starts_at": _(
                        "Move the meetings of a rotating series one at a time."
                    )
                }
            )
        # The rule's slots stay; the successor's rotation begins with this meeting's.
        new_local = old_local
        part = rotation_index(series=old, slot=meeting.series_slot)
        rotation_times = rotation_times[part:] + rotation_times[:part]
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
        rotation_times=rotation_times,
    )
    successor.participants.set(old.participants.all())
    for occurrence in following:
        local = occurrence.series_slot.astimezone(zone).replace(tzinfo=None) + shift
        slot = local.replace(tzinfo=zone).astimezone(dt.UTC)
        occurrence.series = successor
        occurrence.series_slot = slot
        occurrence.starts_at = occurrence_start(series=successor, slot=slot)
        for field, value in changes.items():
            setattr(occurrence, field, value)
        occurrence.save()
        if moved:
            events.publish("meeting.rescheduled", meeting_id=occurrence.pk)
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
    check_may_run(meeting=meeting, by=by)
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
        cancelled = list(targets.values_list("pk", flat=True))
    else:
        cancelled = [meeting.pk]
    count = Meeting.objects.filter(pk__in=cancelled).update(
        status=MeetingStatus.CANCELLED, updated_at=now
    )
    for meeting_id in cancelled:
        events.publish("meeting.cancelled", meeting_id=meeting_id)
    return count
