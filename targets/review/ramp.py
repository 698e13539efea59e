"""Behind on ramp: a new rep missed their ramped targets several ramp weeks in a row.

While a rep ramps up, a missed month raises no below-quota flag (`months.py`); instead,
`RAMP_MISSED_WEEKS` complete ramp weeks in a row below the ramped targets raise one
"behind on ramp" flag, for coaching: only below-quota flags open improvement plans.
Ramp weeks are the rep's own (from the ramp's first day), not ISO weeks.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings

from accounts.models import User
from activities.models import Metric
from activities.periods import WEEK
from targets.attainment import MET, RepAttainment, attainment_for_ranges
from targets.models import Flag, FlagKind, RepRamp
from targets.ramps import Ramp
from targets.review.flags import OpenFlag, new_flag


def ramps_of(reps: list[User]) -> dict[int, Ramp]:
    """The ramps of those of these reps who have one, by rep id (read with the reps:
    `select_related("ramp")`, so no query here)."""
    ramps = {}
    for rep in reps:
        try:
            ramps[rep.pk] = rep.ramp.curve
        except RepRamp.DoesNotExist:
            continue
    return ramps


def ramp_weeks_to_judge(*, ramp: Ramp, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The last `RAMP_MISSED_WEEKS` complete ramp weeks before `today`, oldest first;
    none unless the latest of them is a ramp week and all of them are."""
    count = settings.RAMP_MISSED_WEEKS
    week_today = (today - ramp.starts_on).days // 7 + 1
    last = week_today - 1
    if (
        count < 1
        or last - count + 1 < 1
        or ramp.week_on(ramp.week_bounds(last)[0]) is None
    ):
        return []
    return [ramp.week_bounds(week) for week in range(last - count + 1, last + 1)]


def ramp_behind_flags(
    *,
    reps: list[User],
    ramps: dict[int, Ramp],
    todays: dict[int, dt.date],
    open_flags: list[OpenFlag],
    metrics: list[Metric],
    now: dt.datetime,
) -> list[Flag]:
    """Behind-on-ramp flags (unsaved) of these reps at `now`: two queries when any rep
    has ramp weeks to judge, none otherwise.

    `ramps` holds the ramps of the reps that have one, `todays` each rep's local date;
    a rep with an open behind-on-ramp flag gets no second one until it fades.
    """
    flagged = {flag.rep_id for flag in open_flags if flag.kind == FlagKind.RAMP_BEHIND}
    ranges = {}
    for rep in reps:
        if rep.pk in ramps and rep.pk not in flagged:
            for start, end in ramp_weeks_to_judge(
                ramp=ramps[rep.pk], today=todays[rep.pk]
            ):
                ranges[rep.pk, f"ramp:{start.isoformat()}"] = (start, end)
    if not ranges:
        return []
    judged_ids = {rep_id for rep_id, _label in ranges}
    judged = [rep for rep in reps if rep.pk in judged_ids]
    attainment = attainment_for_ranges(
        reps=judged, ranges=ranges, now=now, metrics=metrics
    )
    by_slug = {metric.slug: metric for metric in metrics}
    weeks_of: dict[int, list[RepAttainment]] = defaultdict(list)
    for (rep_id, _label), week in attainment.items():
        weeks_of[rep_id].append(week)
    flags = []
    for rep in judged:
        weeks = sorted(weeks_of[rep.pk], key=lambda week: week.start)
        flag = ramp_behind_flag(rep=rep, weeks=weeks, metrics_by_slug=by_slug)
        if flag is not None:
            flags.append(flag)
    return flags


def ramp_behind_flag(
    *, rep: User, weeks: list[RepAttainment], metrics_by_slug: dict[str, Metric]
) -> Flag | None:
    """The flag (unsaved) when every one of these ramp weeks missed a ramped target.

    It names the latest week and its metric furthest behind.
    """
    if not weeks or any(week.on_target or not week.targeted for week in weeks):
        return None
    latest = weeks[-1]
    worst = min(
        (item for item in latest.targeted if item.status != MET),
        key=lambda item: item.percent or 0,
    )
    return new_flag(
        rep=rep,
        kind=FlagKind.RAMP_BEHIND,
        metric=metrics_by_slug[worst.metric],
        period=WEEK,
        bounds=(latest.start, latest.end),
        target=worst.target,
        actual=worst.actual,
        percent=worst.percent,
    )
