"""Checks every meeting write shares: timing, who is invited, links, agendas, inserts."""

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, Team, User
from accounts.permissions import is_staff_member, leads, may_manage
from core import events
from meetings.models import (
    ONE_ON_ONE_KINDS,
    AgendaItem,
    Meeting,
    MeetingSeries,
    Participant,
)
from meetings.selectors import may_run_meeting

MIN_DURATION, MAX_DURATION = 5, 480
MAX_DAYS_AHEAD = 5 * 366


def video_url_new() -> str:
    """A fresh, unguessable room on the configured video service."""
    base = settings.VIDEO_BASE_URL.rstrip("/")
    return f"{base}/salesteam-{secrets.token_urlsafe(16)}"


def clean_video_url(video_url: str) -> str:
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


def check_timing(
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


def agenda_lines_from(agenda: str | Iterable[str]) -> list[str]:
    lines = agenda.splitlines() if isinstance(agenda, str) else list(agenda)
    return [line.strip()[:500] for line in lines if line and line.strip()]


def unknown_person_message(pk: object) -> str:
    """The answer for naming someone the organiser may not invite, the same as for an
    id that does not exist: an error never tells who another team's people are."""
    return _("Invalid id “%(pk)s”: nobody you can invite to a meeting has this id.") % {
        "pk": pk
    }


def check_people(
    *,
    organiser: User,
    kind: str,
    team: Team | None,
    participants: list[User],
) -> User | None:
    """Validate who is invited; return the rep a one-on-one meeting is about."""
    if not is_staff_member(organiser):
        raise ValidationError(_("Only managers and admins schedule meetings."))
    if team is not None and not leads(organiser, team):
        raise ValidationError({"team": _("You can only invite a team you manage.")})
    for person in participants:
        if not person.is_active or (
            person.role == Role.REP and not may_manage(organiser, person)
        ):
            raise ValidationError({"participants": unknown_person_message(person.pk)})
    others = [person for person in participants if person.pk != organiser.pk]
    if kind in ONE_ON_ONE_KINDS:
        if team is not None or len(others) != 1:
            raise ValidationError(
                {
                    "participants": _(
                        "A one-on-one meeting has exactly one other participant."
                    )
                }
            )
        return others[0] if others[0].role == Role.REP else None
    if team is None and not others:
        raise ValidationError(
            {"participants": _("Invite a team or at least one other person.")}
        )
    return None


def meeting_create(
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
    reason: str = "",
) -> Meeting:
    meeting = Meeting(
        kind=kind,
        title=title,
        reason=reason,
        organiser=organiser,
        team=team,
        rep=rep,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        video_url=video_url,
        series=series,
        series_slot=starts_at if series else None,
    )
    return meetings_create([(meeting, people, agenda_lines)])[0]


def meetings_create(
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
    events.publish_many(
        "meeting.scheduled", ({"meeting_id": meeting.pk} for meeting in meetings)
    )
    return meetings


def check_may_run(*, meeting: Meeting, by: User) -> None:
    if not may_run_meeting(by, meeting):
        raise ValidationError(
            _("Only the organiser or the rep's manager can change this meeting.")
        )
