"""One review run over a chunk of reps: read what closed, judge it, record the verdicts.

For a chunk of reps, at an instant `now`, each rep whose local date moved on since their
last review is judged on what has closed: the last month (below quota? a streak of months
on quota?), the last K work days (an activity dip?) and, from the month's first full week,
the running month's forecast (quota at risk?). Reads are a fixed handful of queries per
chunk, whatever its size. Each flag the chunk raises or resolves is announced as a domain
event (`core.events`) once the chunk commits.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from activities.metric_cache import metrics_in_order
from activities.models import MetricKind
from activities.periods import MONTH, last_work_days, period_bounds
from core.events import publish_many
from core.sql import insert_new
from targets.attainment import attainment_for_ranges, daily_targets_and_actuals
from targets.forecast import month_forecasts
from targets.models import Flag, FlagKind, Kudos, MonthResult, ReviewState
from targets.quota import quota_attainment, rep_quota_metric_slug
from targets.review.announce import announce
from targets.review.dips import activity_dips, dips_watched
from targets.review.flags import (
    flags_resolve_stale,
    open_review_flags,
    stale_flags,
)
from targets.review.months import closed_month_verdict
from targets.review.pace import at_risk_flag, at_risk_judged_from
from targets.review.ramp import ramp_behind_flags, ramps_of


@dataclass
class ReviewOutcome:
    reviewed: int = 0
    flags: list[Flag] = field(default_factory=list)
    kudos: list[Kudos] = field(default_factory=list)


def reps_to_review() -> list[int]:
    """Ids of every active rep, in a stable order (the review chunks them)."""
    return list(
        User.objects.filter(role=Role.REP, is_active=True, team__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def review_chunk(
    *, rep_ids: list[int], now: dt.datetime | None = None
) -> ReviewOutcome:
    """Review these reps at `now`; idempotent, one transaction per chunk."""
    now = now or timezone.now()
    reps = list(
        User.objects.filter(pk__in=rep_ids, is_active=True).select_related(
            "team", "ramp"
        )
    )
    states = {
        state.rep_id: state.last_local_date
        for state in ReviewState.objects.filter(rep_id__in=rep_ids)
    }
    due = [
        rep
        for rep in reps
        if rep.team_id
        and (rep.pk not in states or rep.local_date(now) > states[rep.pk])
    ]
    if not due:
        return ReviewOutcome()

    metrics = metrics_in_order()  # the process's copy: no query once loaded
    metrics_by_slug = {metric.slug: metric for metric in metrics}
    dip_days = settings.REVIEW_DIP_DAYS

    # Months are judged on the quota metric, the last work days on activity metrics:
    # reading only those tallies keeps a chunk's read to a few rows a rep.
    month_ranges: dict[tuple[int, str], tuple[dt.date, dt.date]] = {}
    calendars = {}
    for rep in due:
        today = rep.local_date(now)
        closed_month = period_bounds(
            period=MONTH, on=today.replace(day=1) - dt.timedelta(1)
        )
        this_month = period_bounds(period=MONTH, on=today)
        days = last_work_days(
            before=today, count=dip_days, work_days=frozenset(rep.work_days or [])
        )
        calendars[rep.pk] = (today, closed_month, this_month, days)
        month_ranges[rep.pk, "closed_month"] = closed_month
        month_ranges[rep.pk, "this_month"] = this_month
    quota_slugs = {rep_quota_metric_slug(rep) for rep in due}
    quota_metrics = [metric for metric in metrics if metric.slug in quota_slugs]
    attainment = attainment_for_ranges(
        reps=due, ranges=month_ranges, now=now, metrics=quota_metrics
    )
    # The running month is judged at risk from its first full week (two queries when
    # any rep of the chunk is there, none otherwise).
    forecasts = month_forecasts(
        [
            rep
            for rep in due
            if calendars[rep.pk][0] >= at_risk_judged_from(calendars[rep.pk][2][0])
        ],
        now=now,
        metrics=quota_metrics,
    )
    activity_metrics = [m for m in metrics if m.kind == MetricKind.ACTIVITY]
    by_day = daily_targets_and_actuals(
        reps=due,
        days={rep.pk: calendars[rep.pk][3] for rep in due},
        metrics=activity_metrics,
    )

    previous_results = defaultdict(dict)
    earliest = min(closed[0] for _today, closed, _this, _days in calendars.values())
    for rep_id, month_start, met in MonthResult.objects.filter(
        rep_id__in=[rep.pk for rep in due],
        month_start__gte=earliest - dt.timedelta(days=31 * 12),
    ).values_list("rep_id", "month_start", "met"):
        previous_results[rep_id][month_start] = met
    open_flags = open_review_flags([rep.pk for rep in due])
    recent = min(c[0] for c in calendars.values()) - dt.timedelta(14)
    open_dips = {
        (flag.rep_id, flag.metric_id)
        for flag in open_flags
        if flag.kind == FlagKind.ACTIVITY_DIP and flag.period_start >= recent
    }

    ramps = ramps_of(due)
    flags, results, kudos = [], [], []
    for rep in due:
        today, closed_month, this_month, days = calendars[rep.pk]
        quota_metric = metrics_by_slug.get(rep_quota_metric_slug(rep))
        if quota_metric is None:
            continue
        verdict = closed_month_verdict(
            rep=rep,
            metric=quota_metric,
            quota=quota_attainment(attainment[rep.pk, "closed_month"]),
            bounds=closed_month,
            earlier_months=previous_results[rep.pk],
            ramp=ramps.get(rep.pk),
        )
        if verdict is not None:
            result, flag, praise = verdict
            results.append(result)
            flags += [flag] if flag else []
            kudos += [praise] if praise else []

        quota_this_month = quota_attainment(attainment[rep.pk, "this_month"])
        if len(days) == dip_days and dips_watched(
            rep=rep, quota_this_month=quota_this_month, today=rep.local_date(now)
        ):
            flags += activity_dips(
                rep=rep,
                by_day=by_day,
                metrics=activity_metrics,
                days=days,
                open_dips=open_dips,
            )

        flag = at_risk_flag(
            rep=rep,
            forecast=forecasts.get(rep.pk),
            quota_metric=quota_metric,
            today=today,
        )
        if flag is not None:
            flags.append(flag)

    flags += ramp_behind_flags(
        reps=due,
        ramps=ramps,
        todays={rep_id: c[0] for rep_id, c in calendars.items()},
        open_flags=open_flags,
        metrics=metrics,
        now=now,
    )
    flags_resolve_stale(
        stale_flags(
            open_flags, todays={rep_id: c[0] for rep_id, c in calendars.items()}
        ),
        now,
    )
    MonthResult.objects.bulk_create(results, ignore_conflicts=True)
    # Unique constraints keep a second or concurrent run from adding anything.
    created_flags = insert_new(flags, key=("rep", "kind", "metric", "period_start"))
    publish_many("flag.raised", ({"flag_id": flag.pk} for flag in created_flags))
    created_kudos = insert_new(kudos, key=("rep", "period_start"))
    ReviewState.objects.bulk_create(
        [
            ReviewState(rep=rep, last_local_date=rep.local_date(now), reviewed_at=now)
            for rep in due
        ],
        update_conflicts=True,
        unique_fields=["rep"],
        update_fields=["last_local_date", "reviewed_at"],
    )
    announce(flags=created_flags, kudos=created_kudos, reps=due)
    return ReviewOutcome(reviewed=len(due), flags=created_flags, kudos=created_kudos)
