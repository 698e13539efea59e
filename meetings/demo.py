"""Demo meetings: a weekly team meeting and a one-on-one per team, and a goal-setting
meeting for each rep who starts today (idempotent).

Run after the review has been replayed: reps it put on a plan already have their
one-on-one, so the team's one-on-one goes to a rep with no check-in booked, and a
trusted rep (the star, left alone) gets none.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import TRUSTED_LEVELS, Role, Team, User
from meetings.lifecycle import goal_settings_book
from meetings.models import Meeting, MeetingKind, MeetingSeries, MeetingStatus
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
        reps = team.members.filter(role=Role.REP, is_active=True).order_by("pk")
        rep = (
            reps.exclude(autonomy_level__in=TRUSTED_LEVELS)
            .exclude(check_ins__status=MeetingStatus.SCHEDULED)
            .first()
        )
        has_one_on_one = Meeting.objects.filter(
            rep__team=team,
            kind=MeetingKind.ONE_ON_ONE,
            status=MeetingStatus.SCHEDULED,
        ).exists()
        if rep and not has_one_on_one:
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
    return booked + goal_settings_book(rep_ids=reps_starting(now=now), now=now)


def reps_starting(*, now: dt.datetime) -> list[int]:
    """Reps who start today or later (in their own zone), without a goal setting yet."""
    reps = User.objects.filter(
        role=Role.REP,
        is_active=True,
        team__isnull=False,
        start_date__gte=now.date() - dt.timedelta(days=1),
    ).exclude(check_ins__kind=MeetingKind.GOAL_SETTING)
    return [rep.pk for rep in reps if rep.start_date >= rep.local_date(now)]
