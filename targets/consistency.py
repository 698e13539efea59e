"""How regularly a rep works to their own plan: work days with activity and streaks.

For the rep's own eyes only (their results page): it counts days, never times. Every
day is the rep's own: their time zone, their work days, from their start date. A day
off neither breaks nor extends a streak, and a day's work logged on a day off is
welcome but not counted. Today counts (in work days and in the streak) only once it
has something logged, so a morning before the first call is never a miss.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from activities.periods import MONTH, dates_between, period_bounds
from activities.tallies import days_with_entries

CONSISTENCY_WINDOW_DAYS = 90


@dataclass(frozen=True)
class WorkDays:
    elapsed: int  # the rep's work days so far (today once it has activity)
    active: int  # of those, the days with something logged


@dataclass(frozen=True)
class Consistency:
    month: WorkDays  # the running month
    window: WorkDays  # the last CONSISTENCY_WINDOW_DAYS days
    current_streak: int  # consecutive active work days up to the latest elapsed one
    best_streak: int  # the longest run in the window

    @property
    def has_work_days(self) -> bool:
        return self.window.elapsed > 0


def _elapsed_work_days(
    *, rep: User, first: dt.date, today: dt.date, active: set[dt.date]
) -> list[dt.date]:
    """The rep's own work days from `first` to today, oldest first."""
    work_days = frozenset(rep.work_days or [])
    if rep.start_date:
        first = max(first, rep.start_date)
    days = [day for day in dates_between(first, today) if day.isoweekday() in work_days]
    if days and days[-1] == today and today not in active:
        days.pop()  # today is still running: not a miss until it is over
    return days


def _streaks(days: list[dt.date], active: set[dt.date]) -> tuple[int, int]:
    """(current, best) runs of consecutive active work days."""
    run = best = 0
    for day in days:
        run = run + 1 if day in active else 0
        best = max(best, run)
    return run, best


def consistency_for(*, rep: User, now: dt.datetime | None = None) -> Consistency:
    """The rep's work days with activity this month and over the last 90 days, and
    their streaks, in one query of their day tallies.

    Streaks are counted within the window, so a run longer than it shows as the
    window's length.
    """
    today = rep.local_date(now or timezone.now())
    first = today - dt.timedelta(days=CONSISTENCY_WINDOW_DAYS - 1)
    active = days_with_entries(rep_id=rep.pk, first=first, last=today)
    window = _elapsed_work_days(rep=rep, first=first, today=today, active=active)
    month_start, _month_end = period_bounds(period=MONTH, on=today)
    month = [day for day in window if day >= month_start]
    current, best = _streaks(window, active)
    return Consistency(
        month=WorkDays(
            elapsed=len(month), active=sum(1 for day in month if day in active)
        ),
        window=WorkDays(
            elapsed=len(window), active=sum(1 for day in window if day in active)
        ),
        current_streak=current,
        best_streak=best,
    )
