"""Demo meetings: a weekly team meeting per team and a one-on-one per team (idempotent)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, Team
from meetings.models import Meeting, MeetingKind, MeetingSeries
from meetings.selectors import time_suggestions_for
from meetings.services import meeting_schedule


def next_monday_at(hour: int, *, zone, now: dt.datetime) -> dt.datetime:
    today = now.astimezone(zone).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(hour), zone)


def meetings_seed(*, now: dt.datetime | None = None) -> int:
    """Book what is missing; return how many meetings were booked."""
    now = now or timezone.now()
    booked = 0
    for team in Team.objects.select_related("manager"):
        manager = team.manager
        if not MeetingSeries.objects.filter(team=team).exists():
            meeting_schedule(
                organiser=manager,
                kind=MeetingKind.TEAM,
                title=_("%(team)s weekly") % {"team": team.name},
                starts_at=next_monday_at(9, zone=manager.zone, now=now),
                duration_minutes=30,
                team=team,
                recurrence="weekly",
                agenda=[_("Wins of the week"), _("Pipeline"), _("Blockers")],
                now=now,
            )
            booked += 1
        rep = team.members.filter(role=Role.REP, is_active=True).order_by("pk").first()
        if rep and not Meeting.objects.filter(rep=rep).exists():
            slots = time_suggestions_for(
                people=[rep, manager], duration_minutes=30, after=now, count=1
            )
            if slots:
                meeting_schedule(
                    organiser=manager,
                    kind=MeetingKind.ONE_ON_ONE,
                    title=_("One-on-one with %(name)s") % {"name": rep.first_name},
                    starts_at=slots[0],
                    duration_minutes=30,
                    participants=[rep],
                    agenda=[_("Last week's numbers"), _("Deals that need help")],
                    now=now,
                )
                booked += 1
    return booked
