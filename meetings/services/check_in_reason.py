"""Why a check-in beyond the cadence is booked: required, and told to the rep.

A trusted rep who is on target gets the over-checking warning
(`meetings.selectors.over_checking_warning`); booking such a check-in anyway needs a
reason, which the rep reads on the invitation, the meeting and their calendar.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from accounts.models import Notification, Role, User
from accounts.notifications import notify_many
from meetings.models import Meeting
from meetings.selectors import over_checking_warnings

REASON_MAX_LENGTH = Meeting._meta.get_field("reason").max_length


def check_reason(
    *, kind: str, participants: list[User], starts_at: dt.datetime, reason: str
) -> str:
    """The reason to keep (trimmed); an error when the check-in is beyond a trusted,
    on-target rep's cadence and none is given."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason under %(count)s characters.")
                % {"count": REASON_MAX_LENGTH}
            }
        )
    if not reason and over_checking_warnings(
        kind=kind, participants=participants, starts_at=starts_at
    ):
        raise ValidationError(
            {
                "reason": _(
                    "This check-in is beyond the rep's cadence: say why you are "
                    "meeting. The rep sees it on the invitation."
                )
            }
        )
    return reason


def reason_notify(*, meeting: Meeting, participants: list[User]) -> None:
    """Tell the meeting's reps why it was booked, in their language and local time."""
    if not meeting.reason:
        return
    drafts = []
    for rep in participants:
        if rep.role != Role.REP or rep.pk == meeting.organiser_id:
            continue
        with translation.override(rep.language):
            # As the rest of the app writes a meeting's time: "Thu 3 Dec, 16:00"
            when = formats.date_format(
                meeting.starts_at.astimezone(rep.zone), "D j M, H:i"
            )
            drafts.append(
                Notification(
                    user_id=rep.pk,
                    key=f"meeting-reason:{meeting.pk}",
                    kind="meeting.check_in",
                    title=_("%(organiser)s booked a check-in with you: %(when)s")
                    % {"organiser": meeting.organiser, "when": when},
                    body=_("Why we are meeting: %(reason)s")
                    % {"reason": meeting.reason},
                    url=reverse("meetings:detail", args=[meeting.pk]),
                )
            )
    notify_many(drafts)
