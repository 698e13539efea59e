"""The invitations of booked one-on-ones: an email with an .ics, to each person once."""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from coaching.models import ImprovementPlan
from core.mailing import send_claimed
from meetings.calendars import calendar_for
from meetings.models import Meeting, MeetingStatus


def one_on_one_invitations_send(*, plan_ids: list[int]) -> int:
    """Email both people of each plan's one-on-one an invitation with the .ics attached.

    Each plan's invitation goes once: the batch is claimed in one conditional UPDATE
    (of two workers only one gets each plan) and read back by its stamp; messages go
    over one connection, and if the mail server cannot be reached or fails midway the
    plans not yet done are released for the retry. A meeting cancelled meanwhile is
    not announced. Returns how many emails went out.
    """
    stamp = timezone.now()
    ImprovementPlan.objects.filter(
        pk__in=plan_ids,
        invitation_sent_at=None,
        meeting__status=MeetingStatus.SCHEDULED,
    ).update(invitation_sent_at=stamp)
    plans = list(
        ImprovementPlan.objects.filter(pk__in=plan_ids, invitation_sent_at=stamp)
        .select_related("meeting__organiser")
        .prefetch_related("meeting__participants")
        .order_by("pk")
    )

    def release(unsent: Sequence[ImprovementPlan]) -> None:
        ImprovementPlan.objects.filter(pk__in=[plan.pk for plan in unsent]).update(
            invitation_sent_at=None
        )

    return send_claimed(
        plans,
        messages_for=lambda plan: invitation_emails(plan.meeting),
        release=release,
    )


def invitation_emails(meeting: Meeting) -> list[EmailMessage]:
    """The meeting's invitations, one a person, each in their language and time."""
    people = {
        person.pk: person for person in [meeting.organiser, *meeting.participants.all()]
    }.values()
    ics = calendar_for([meeting], name=meeting.title)
    messages = []
    for person in people:
        local = meeting.starts_at.astimezone(person.zone)
        with translation.override(person.language):
            message = EmailMessage(
                subject=_("Invitation: %(title)s") % {"title": meeting.title},
                body=_("%(when)s (your time, %(zone)s)\nJoin: %(url)s")
                % {
                    "when": formats.date_format(local, "l j E Y, H:i"),
                    "zone": person.timezone,
                    "url": meeting.video_url,
                },
                to=[person.email],
            )
        message.attach("invite.ics", ics, "text/calendar")
        messages.append(message)
    return messages
