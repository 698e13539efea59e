"""Flags the review raises, written once: building, idempotent inserts, fading.

Every row is written with unique constraints, so a second run, or a run after a crash,
adds nothing.
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings

from accounts.models import User
from activities.models import Metric
from core.events import publish_many
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


class OpenFlag(NamedTuple):
    """What the review needs of an open flag (read as plain rows)."""

    pk: int
    rep_id: int
    kind: str
    metric_id: int
    period_start: dt.date
    period_end: dt.date


def open_review_flags(rep_ids: list[int]) -> list[OpenFlag]:
    """The open dips, at-risk and behind-on-ramp flags of these reps, in one query: the review reads
    them once, to flag no dip twice and to resolve the stale ones."""
    return [
        OpenFlag(*row)
        for row in Flag.objects.filter(
            rep_id__in=rep_ids,
            kind__in=[FlagKind.ACTIVITY_DIP, FlagKind.AT_RISK, FlagKind.RAMP_BEHIND],
            status=FlagStatus.OPEN,
        ).values_list("pk", "rep_id", "kind", "metric_id", "period_start", "period_end")
    ]


def stale_flags(
    open_flags: list[OpenFlag], *, todays: dict[int, dt.date]
) -> list[OpenFlag]:
    """Flags that no longer say anything: dips older than `DIP_FLAG_DAYS`, "at risk"
    for a month that has closed (it has its own below-quota flag), "behind on ramp"
    once as many ramp weeks again have closed (a rep still behind is flagged afresh),
    each in the rep's calendar (`todays`: rep id -> local date)."""
    fades_after = {
        FlagKind.ACTIVITY_DIP: dt.timedelta(days=DIP_FLAG_DAYS),
        FlagKind.AT_RISK: dt.timedelta(0),
        FlagKind.RAMP_BEHIND: dt.timedelta(weeks=settings.RAMP_MISSED_WEEKS),
    }
    return [
        flag
        for flag in open_flags
        if flag.rep_id in todays
        and flag.period_end < todays[flag.rep_id] - fades_after[flag.kind]
    ]


def flags_resolve_stale(flags: list[OpenFlag], now: dt.datetime) -> None:
    """Resolve these flags (one query; none without flags) and announce each."""
    if not flags:
        return
    ids = [flag.pk for flag in flags]
    Flag.objects.filter(pk__in=ids, status=FlagStatus.OPEN).update(
        status=FlagStatus.RESOLVED, resolved_at=now
    )
    publish_many("flag.resolved", ({"flag_id": flag_id} for flag_id in ids))
