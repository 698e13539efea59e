"""Replaying the review and the autonomy job over history, as if they had run all along.

After a team brings its history, or the demo seeds it, levels, streaks, praise and plans
should match the numbers. The replay walks the weeks from the first day of the history:
every Monday the autonomy job (`meetings.autonomy.autonomy_review`), every first of a
month the review's judgement and follow-up (`coaching.review.review_and_follow_up`),
both with "now" fixed at that morning. One-on-ones are booked once, for the present: a
last `review_run` books the plans still open. Every step is idempotent, so a second
replay changes nothing.

Flags and praise a replayed review writes carry that review's morning as their date,
not the moment of the replay: a streak earned in October shows October.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from activities.models import Activity, Deal
from coaching.review import chunks, review_and_follow_up, review_run
from meetings.autonomy import autonomy_review
from targets.models import Flag, Kudos
from targets.review import reps_to_review

# Early in the day in UTC is still the day before in the Americas: 12:00 UTC is the
# same date nearly everywhere, so each rep's local date is the replayed one.
REPLAY_HOUR_UTC = 12


@dataclass
class ReplaySummary:
    weeks: int = 0
    months: int = 0
    autonomy_changes: int = 0
    flags: int = 0
    kudos: int = 0
    plans_opened: int = 0
    plans_closed: int = 0


def history_start() -> dt.date | None:
    """The first local date of any rep's activity or deal."""
    dates = [
        Activity.objects.aggregate(first=Min("local_date"))["first"],
        Deal.objects.aggregate(first=Min("local_date"))["first"],
    ]
    dates = [day for day in dates if day]
    return min(dates) if dates else None


def history_replay(
    *, since: dt.date | None = None, now: dt.datetime | None = None
) -> ReplaySummary:
    """Replay autonomy and the review from `since` (default: the history's start)."""
    now = now or timezone.now()
    since = since or history_start()
    summary = ReplaySummary()
    if since is None:
        return summary
    day = since + dt.timedelta(days=(7 - since.weekday()) % 7)  # the first Monday
    while day <= now.date():
        at = dt.datetime.combine(day, dt.time(REPLAY_HOUR_UTC), tzinfo=dt.UTC)
        if at > now:
            break
        if day.day <= 7:  # the first Monday of a month: the month before has closed
            written_before = _latest_review_rows()
            rep_chunks = chunks(reps_to_review(), settings.REVIEW_CHUNK_SIZE)
            for rep_ids in rep_chunks:
                with transaction.atomic():
                    step = review_and_follow_up(rep_ids=rep_ids, now=at)
                summary.flags += step.flags
                summary.kudos += step.kudos
                summary.plans_opened += len(step.plans_opened)
                summary.plans_closed += step.plans_closed
            _date_review_rows(after=written_before, at=at)
            summary.months += 1
        summary.autonomy_changes += len(autonomy_review(on=day, now=at))
        summary.weeks += 1
        day += dt.timedelta(weeks=1)
    latest = review_run(now=now)
    summary.flags += latest.flags
    summary.kudos += latest.kudos
    summary.plans_opened += len(latest.plans_opened)
    summary.plans_closed += latest.plans_closed
    summary.autonomy_changes += len(autonomy_review(now=now))
    return summary


def _latest_review_rows() -> tuple[int, int]:
    """The newest flag and kudos ids, to tell the rows a review step writes."""
    return (
        Flag.objects.aggregate(last=Max("pk"))["last"] or 0,
        Kudos.objects.aggregate(last=Max("pk"))["last"] or 0,
    )


def _date_review_rows(*, after: tuple[int, int], at: dt.datetime) -> None:
    """Date the flags and system kudos written since `after` at the replayed morning
    (their creation stamps the real now, which would date months of praise today)."""
    last_flag, last_kudos = after
    Flag.objects.filter(pk__gt=last_flag).update(created_at=at)
    Kudos.objects.filter(pk__gt=last_kudos, is_system=True).update(created_at=at)
