"""A meeting's notes and its action items."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from meetings.models import (
    ActionItem,
    Meeting,
    MeetingStatus,
    Participant,
)
from meetings.selectors import may_run_meeting
from meetings.services.rules import (
    check_may_run,
)


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
    check_may_run(meeting=meeting, by=by)
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
    check_may_run(meeting=meeting, by=by)
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
