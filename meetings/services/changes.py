"""One change to a meeting from the API: schedule, agenda, notes, attendance, status.

The pieces are the services the pages call (`meeting_update`, `meeting_record_notes`,
`meeting_cancel`, ...), run in one transaction: a request whose last part is refused
writes nothing.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.models import AgendaItem, Meeting, MeetingStatus, Participant
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.services.notes import meeting_record_notes
from meetings.services.rules import agenda_lines_from, check_may_run

# What a change may set the status to; "scheduled" comes back by rebooking, not here.
STATUS_CHANGES = (MeetingStatus.DONE, MeetingStatus.CANCELLED)


@transaction.atomic
def meeting_agenda_set(
    *, meeting: Meeting, by: User, agenda: Iterable[str]
) -> list[AgendaItem]:
    """Replace the meeting's agenda with these items, in this order."""
    check_may_run(meeting=meeting, by=by)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"agenda": _("A cancelled meeting has no agenda.")})
    meeting.agenda_items.all().delete()
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=position, text=line)
        for position, line in enumerate(agenda_lines_from(agenda))
    )


@transaction.atomic
def meeting_attendance_set(
    *, meeting: Meeting, by: User, attendance: dict[int, bool | None]
) -> None:
    """Tick who attended (True), who did not (False) or not yet known (None).

    Participants not named keep what they had.
    """
    check_may_run(meeting=meeting, by=by)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"attendance": _("Nobody attends a cancelled meeting.")})
    participants = {p.user_id: p for p in meeting.attendance.all()}
    strangers = sorted(set(attendance) - set(participants))
    if strangers:
        raise ValidationError(
            {
                "attendance": _(
                    "Only participants attend: %(ids)s are not invited to it."
                )
                % {"ids": ", ".join(str(pk) for pk in strangers)}
            }
        )
    for user_id, attended in attendance.items():
        participants[user_id].attended = attended
    Participant.objects.bulk_update(
        [participants[user_id] for user_id in attendance], ["attended"]
    )


@transaction.atomic
def meeting_change(
    *,
    meeting: Meeting,
    by: User,
    scope: str = "this",
    title: str | None = None,
    starts_at: dt.datetime | None = None,
    duration_minutes: int | None = None,
    video_url: str | None = None,
    agenda: Iterable[str] | None = None,
    notes: str | None = None,
    private_notes: str | None = None,
    attendance: dict[int, bool | None] | None = None,
    status: str | None = None,
    now: dt.datetime | None = None,
) -> Meeting:
    """Apply every given part (None leaves a part as it is); return the meeting.

    `scope` ("this" or "following") applies to a new time or length and to cancelling
    an occurrence of a series. The schedule changes first, then the agenda, notes and
    attendance, the status last: a meeting is marked done with its notes in one go.
    """
    now = now or timezone.now()
    check_may_run(meeting=meeting, by=by)
    if status is not None and status not in STATUS_CHANGES:
        raise ValidationError({"status": _("Set the status to done or cancelled.")})
    if (
        status
        and status != meeting.status
        and meeting.status != MeetingStatus.SCHEDULED
    ):
        raise ValidationError(
            {
                "status": _("This meeting is %(status)s already.")
                % {"status": meeting.get_status_display().lower()}
            }
        )
    schedule = {
        "title": title,
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "video_url": video_url,
    }
    if any(value is not None for value in schedule.values()):
        meeting = meeting_update(
            meeting=meeting, by=by, scope=scope, now=now, **schedule
        )
    if agenda is not None:
        meeting_agenda_set(meeting=meeting, by=by, agenda=agenda)
    if notes is not None or private_notes is not None or status == MeetingStatus.DONE:
        meeting_record_notes(
            meeting=meeting,
            by=by,
            notes=meeting.notes if notes is None else notes,
            private_notes=private_notes,
            mark_done=status == MeetingStatus.DONE,
        )
    if attendance is not None:
        meeting_attendance_set(meeting=meeting, by=by, attendance=attendance)
    if status == MeetingStatus.CANCELLED and meeting.status != MeetingStatus.CANCELLED:
        meeting_cancel(meeting=meeting, by=by, scope=scope, now=now)
    return meeting
