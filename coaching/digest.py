"""The weekly digest: on Monday (in each person's zone) a summary of the week behind.

Managers get their teams' results for last week, open flags and this week's one-on-ones;
reps get their own week, their meetings and open action items. Sent once per person and
ISO week (a notification key backs it), to those who keep `weekly_digest` on.
"""

import datetime as dt

from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, Team, User
from accounts.notifications import notify
from activities.periods import MONTH, WEEK, period_bounds
from meetings.models import MeetingStatus
from meetings.selectors import my_meetings, open_action_items_for
from targets.attainment import attainment_for_ranges
from targets.quota import is_below_quota, quota_attainment
from targets.review_selectors import flags_needing_attention


def digest_key(local_day: dt.date) -> str:
    year, week, _weekday = local_day.isocalendar()
    return f"digest:{year}-W{week:02d}"


def attainment_lines(
    reps: list[User], *, last_week_day: dt.date, now: dt.datetime
) -> list[str]:
    """Last week's results per rep, and whether their running month is behind on quota
    (the one quota rule, in each rep's own calendar). Reps come with their team."""
    ranges = {}
    for rep in reps:
        ranges[rep.pk, WEEK] = period_bounds(period=WEEK, on=last_week_day)
        ranges[rep.pk, MONTH] = period_bounds(period=MONTH, on=rep.local_date(now))
    by_rep = attainment_for_ranges(reps=reps, ranges=ranges, now=now)
    lines = []
    for rep in reps:
        items = by_rep[rep.pk, WEEK].targeted
        summary = ", ".join(f"{item.label} {item.percent}%" for item in items) or _(
            "no targets"
        )
        quota = quota_attainment(by_rep[rep.pk, MONTH])
        if is_below_quota(quota):
            summary += " · " + _("behind on quota this month (%(percent)d%%)") % {
                "percent": quota.percent or 0
            }
        lines.append(f"- {rep}: {summary}")
    return lines


def digest_for(user: User, *, now: dt.datetime) -> str:
    today = user.local_date(now)
    last_week_day = today - dt.timedelta(days=7)
    start, end = period_bounds(period=WEEK, on=last_week_day)
    lines = [_("Your week of %(start)s – %(end)s") % {"start": start, "end": end}, ""]
    if user.role == Role.REP and not user.is_superuser:
        lines += attainment_lines([user], last_week_day=last_week_day, now=now)
        items = list(open_action_items_for(user=user)[:10])
        if items:
            lines += ["", _("Open action items:")] + [
                f"- {item.text}" for item in items
            ]
    else:
        # The teams this person leads themselves (an admin's digest is not the org's).
        teams = Team.objects.filter(manager=user)
        reps = list(
            User.objects.filter(team__in=teams, role=Role.REP, is_active=True)
            .select_related("team")
            .order_by("first_name")
        )
        if reps:
            lines += [_("Team results last week:")] + attainment_lines(
                reps, last_week_day=last_week_day, now=now
            )
        flags = flags_needing_attention(viewer=user)
        if flags:
            lines += ["", _("Open flags:")] + [
                f"- {flag.rep}: {flag.get_kind_display()} ({flag.percent}%)"
                for flag in flags[:20]
            ]
    week_end = now + dt.timedelta(days=7)
    upcoming = [
        meeting
        for meeting in my_meetings(viewer=user, upcoming=True, now=now)[:20]
        if meeting.starts_at <= week_end and meeting.status == MeetingStatus.SCHEDULED
    ]
    if upcoming:
        lines += ["", _("This week's meetings:")] + [
            f"- {formats.date_format(meeting.starts_at.astimezone(user.zone), 'D j E, H:i')}"
            f" {meeting.title}"
            for meeting in upcoming
        ]
    return "\n".join(lines)


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Send the digest to everyone whose local Monday has begun; once per week each."""
    now = now or timezone.now()
    sent = 0
    people = (
        User.objects.filter(is_active=True, weekly_digest=True)
        .filter(Q(role=Role.REP, team__isnull=False) | Q(managed_teams__isnull=False))
        .distinct()
    )
    for user in people:
        today = user.local_date(now)
        if today.isoweekday() != 1:
            continue
        key = digest_key(today)
        if user.notifications.filter(key=key).exists():
            continue
        with translation.override(user.language):
            notify(
                user=user,
                key=key,
                kind="digest",
                title=_("Your weekly digest"),
                body=digest_for(user, now=now),
            )
        sent += 1
    return sent
