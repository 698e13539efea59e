"""Flags the review raises, written once: building, idempotent inserts, fading.

Every row is written with unique constraints, so a second run, or a run after a crash,
adds nothing.
"""

import datetime as dt
from decimal import Decimal

from accounts.models import User
from activities.models import Metric
from targets.models import Flag, FlagKind, FlagStatus

# An activity dip nobody acted on fades after this; a fresh dip raises a new flag.
DIP_FLAG_DAYS = 7


def new_flag(
    *,
    rep: User,
    kind: str,
    metric: Metric,
    period: str,
    bounds: tuple[dt.date, dt.date],
    target: Decimal,
    actual: Decimal,
    percent: int | None,
) -> Flag:
    """An unsaved flag of a rep's metric over a period (`bounds`: first and last day)."""
    return Flag(
        rep=rep,
        kind=kind,
        metric=metric,
        period=period,
        period_start=bounds[0],
        period_end=bounds[1],
        target=target,
        actual=actual,
        percent=percent or 0,
    )


def expire_stale_flags(reps: list[User], now: dt.datetime) -> None:
    """Resolve flags that no longer say anything: old dips, "at risk" for a closed month.

    (A closed month below quota has its own below-quota flag.) Two queries per chunk.
    """
    rep_ids = [rep.pk for rep in reps]
    earliest_today = min(rep.local_date(now) for rep in reps)
    Flag.objects.filter(
        rep_id__in=rep_ids,
        kind=FlagKind.ACTIVITY_DIP,
        status=FlagStatus.OPEN,
        period_end__lt=earliest_today - dt.timedelta(days=DIP_FLAG_DAYS),
    ).update(status=FlagStatus.RESOLVED, resolved_at=now)
    Flag.objects.filter(
        rep_id__in=rep_ids,
        kind=FlagKind.AT_RISK,
        status=FlagStatus.OPEN,
        period_end__lt=earliest_today,
    ).update(status=FlagStatus.RESOLVED, resolved_at=now)


def create_idempotently(*, model, rows: list, key, **scope) -> list:
    """Insert rows that are not there yet (unique constraints decide); return the new ones.

    `model` has `rep` and `period_start`, and `key(row)` includes both.

    Reading the keys first and inserting with ignore_conflicts keeps a concurrent or
    repeated run from failing or duplicating; the re-read returns the rows with ids.
    """
    if not rows:
        return []
    # Only the periods at hand: a rep's older rows (months of history) are not read.
    scope |= {
        "rep_id__in": {row.rep_id for row in rows},
        "period_start__in": {row.period_start for row in rows},
    }
    existing = {key(row) for row in model.objects.filter(**scope)}
    fresh = [row for row in rows if key(row) not in existing]
    if not fresh:
        return []
    model.objects.bulk_create(fresh, ignore_conflicts=True)
    wanted = {key(row) for row in fresh}
    reps = {row.rep_id: row.rep for row in fresh}  # already loaded: no join
    created = []
    for row in model.objects.filter(**scope):
        if key(row) in wanted and key(row) not in existing:
            row.rep = reps[row.rep_id]
            created.append(row)
    return created
