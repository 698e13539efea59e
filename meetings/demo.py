"""Demo meetings: a weekly team meeting and a one-on-one per team, and a goal-setting
meeting for each rep who starts today (idempotent).

Run after the review has been replayed: reps it put on a plan already have their
one-on-one, so the team's one-on-one goes to a rep with no check-in booked, and a
trusted rep (the star, left alone) gets none.

The last weeks' held one-on-ones tell the "time with reps" story: Aegean's manager
spends the month with reps on quota while Nikos, below quota, has not been seen for
weeks (the upside-down warning); Pacific's time goes to its newest reps, and its
trusted reps are seen now and then (a healthy ledger).
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import TRUSTED_LEVELS, Role, Team, User
from meetings.lifecycle import goal_settings_book
from meetings.models import (
    ActionItem,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
)
from meetings.selectors import people_invited, time_suggestions_for
from meetings.services import meeting_schedule
from meetings.services.notes import action_item_create, meeting_record_notes
from meetings.services.rules import meeting_create
from targets.models import Kudos
from targets.services import kudos_give

# The one-on-ones each demo manager held in the last weeks: (rep, days ago, minutes),
# at 9:00 on the manager's clock (a weekend moves to the Monday after). Nikos was
# last seen two months ago, when his numbers were fine; nobody meets Sofia, the star.
HELD_ONE_ON_ONES = {
    "Aegean": [
        ("nikos@example.com", 62, 30),
        *[("maria@example.com", days, 45) for days in (3, 10, 17, 24, 31, 38)],
        *[("olivia@example.com", days, 30) for days in (5, 19, 33, 47)],
        *[("eleni@example.com", days, 30) for days in (6, 20, 34, 48)],
        *[("james@example.com", days, 30) for days in (8, 22, 36, 50)],
    ],
    # The newest reps every two weeks, the trusted ones once a month or so.
    "Pacific": [
        *[("chloe@example.com", days, 30) for days in (4, 18, 32, 46)],
        # Michael, behind on his ramp since he started, every week.
        *[("michael@example.com", days, 30) for days in (3, 10, 16)],
        *[("ana@example.com", days, 30) for days in (12, 40)],
        *[("emily@example.com", days, 45) for days in (13, 41)],
        *[("jack@example.com", days, 30) for days in (26, 54)],
    ],
}
# An action item set in the latest one-on-one of these reps.
DEMO_ACTION_ITEMS = {
    "maria@example.com": gettext_lazy("Shadow two discovery calls with Sofia"),
    "olivia@example.com": gettext_lazy("Follow up the three open proposals"),
    "chloe@example.com": gettext_lazy("Book appointments for the two warm leads"),
}
# A manager's own kudos, this many days ago.
DEMO_KUDOS = [
    (
        "maria@example.com",
        9,
        gettext_lazy("A great first month: every ramp target met."),
    ),
    (
        "eleni@example.com",
        16,
        gettext_lazy("Thank you for covering Nikos's calls on Monday."),
    ),
    (
        "michael@example.com",
        11,
        gettext_lazy("Your follow-up notes won back the Harbor deal."),
    ),
]


def next_monday_at(hour: int, *, zone, now: dt.datetime) -> dt.datetime:
    today = now.astimezone(zone).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(hour), zone)


def meetings_seed(*, now: dt.datetime | None = None) -> int:
    """Book what is missing; return how many meetings were booked."""
    now = now or timezone.now()
    booked = held_one_on_ones_seed(now=now)
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


def _held_at(*, days_ago: int, zone, now: dt.datetime) -> dt.datetime:
    day = now.astimezone(zone).date() - dt.timedelta(days=days_ago)
    while day.isoweekday() > 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9), zone)


def held_one_on_ones_seed(*, now: dt.datetime) -> int:
    """The one-on-ones each demo team's manager held in the last weeks, with notes,
    action items and a few kudos; a team that has held any is left as it is."""
    held = 0
    for team in Team.objects.filter(name__in=HELD_ONE_ON_ONES).select_related(
        "manager"
    ):
        manager = team.manager
        if Meeting.objects.filter(
            rep__team=team, kind=MeetingKind.ONE_ON_ONE, status=MeetingStatus.DONE
        ).exists():
            continue
        reps = {rep.email: rep for rep in team.members.filter(role=Role.REP)}
        latest: dict[str, Meeting] = {}
        for email, days_ago, minutes in HELD_ONE_ON_ONES[team.name]:
            rep = reps.get(email)
            starts_at = _held_at(days_ago=days_ago, zone=manager.zone, now=now)
            if rep is None or (
                rep.start_date and rep.local_date(starts_at) < rep.start_date
            ):
                continue
            meeting = meeting_create(
                kind=MeetingKind.ONE_ON_ONE,
                title=_("One-on-one with %(name)s") % {"name": rep.first_name},
                organiser=manager,
                team=None,
                rep=rep,
                people=people_invited(organiser=manager, team=None, participants=[rep]),
                starts_at=starts_at,
                duration_minutes=minutes,
                video_url="",
                agenda_lines=[_("Last week's numbers"), _("Deals that need help")],
            )
            meeting_record_notes(
                meeting=meeting,
                by=manager,
                notes=_("Went through the week's numbers and the open deals."),
                attended=[manager.pk, rep.pk],
                mark_done=True,
            )
            if email not in latest or starts_at > latest[email].starts_at:
                latest[email] = meeting
            held += 1
        for email, text in DEMO_ACTION_ITEMS.items():
            if email in latest:
                item = action_item_create(
                    meeting=latest[email], by=manager, owner=reps[email], text=str(text)
                )
                ActionItem.objects.filter(pk=item.pk).update(
                    created_at=latest[email].ends_at
                )
        for email, days_ago, message in DEMO_KUDOS:
            if email in reps:
                praise = kudos_give(rep=reps[email], by=manager, message=str(message))
                Kudos.objects.filter(pk=praise.pk).update(
                    created_at=now - dt.timedelta(days=days_ago)
                )
    return held
