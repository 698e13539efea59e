"""Check-in cadence by autonomy level, and whether a rep is on target.

Attainment comes from `targets.selectors` and the quota rule from `targets.quota` (a
lower layer); attainment is read through `rep_attainment` so the autonomy rules have one
seam to the targets app.
"""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import AutonomyLevel, User
from activities.periods import WEEK, period_bounds
from targets.quota import is_below_quota, rep_quota_metric_slug
from targets.selectors import RepAttainment, attainment_for_rep

LEVEL_ORDER = [
    AutonomyLevel.NEW,
    AutonomyLevel.RAMPING,
    AutonomyLevel.ESTABLISHED,
    AutonomyLevel.AUTONOMOUS,
]


def cadence_days_for(level: str) -> int:
    """Recommended days between check-ins for a rep at this autonomy level."""
    return int(settings.MEETING_CADENCE_DAYS.get(level, 7))


def cadence_label(level: str) -> str:
    days = cadence_days_for(level)
    if days <= 7:
        return _("weekly")
    if days <= 14:
        return _("every two weeks")
    if days <= 31:
        return _("monthly")
    return _("every %(days)s days") % {"days": days}


def level_above(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


def level_below(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index - 1] if index > 0 else None


def rep_attainment(*, rep: User, period: str, on: dt.date) -> RepAttainment:
    """The rep's attainment for the period containing `on` (see `targets.selectors`)."""
    return attainment_for_rep(rep=rep, period=period, on=on)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week holding `day` (the rep's calendar owns weeks)."""
    return period_bounds(period=WEEK, on=day)[0]


def last_complete_week_on_target(*, rep: User, on: dt.date) -> bool:
    """Was the rep on target in the last complete ISO week before `on`?"""
    attainment = rep_attainment(
        rep=rep, period="week", on=week_start(on) - dt.timedelta(days=7)
    )
    return bool(attainment.on_target)


def missed_quota(*, rep: User, attainment: RepAttainment) -> bool:
    """Did a finished month miss the rep's own quota (their team's quota metric)?

    `targets.quota` decides; a month without a quota target misses nothing.
    """
    return is_below_quota(attainment.for_metric(rep_quota_metric_slug(rep)))
