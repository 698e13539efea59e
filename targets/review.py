"""The results review: closed periods in each rep's own calendar → flags, results, praise.

For a chunk of reps, at an instant `now`, each rep whose local date moved on since their
last review is judged on what has closed: the last month (below quota? a streak of months
on quota?), the last K work days (an activity dip?) and, past a day of the month, the pace
of the running month (quota at risk?). Everything is written with unique constraints, so
a second run, or a run after a crash, adds nothing. Reads are a fixed handful of queries
per chunk, whatever its size.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import AutonomyLevel, Notification, Role, User
from accounts.notifications import notify, notify_many
from activities.models import Metric, MetricKind
from activities.periods import MONTH, period_bounds
from targets.models import Flag, FlagKind, FlagStatus, Kudos, MonthResult, ReviewState
from targets.selectors import (
    BEHIND,
    MET,
    attainment_for_ranges,
    daily_targets_and_actuals,
)

TRUSTED_LEVELS = {AutonomyLevel.ESTABLISHED, AutonomyLevel.AUTONOMOUS}


@dataclass
class ReviewOutcome:
    reviewed: int = 0
    flags: list[Flag] = field(default_factory=list)
    kudos: list[Kudos] = field(default_factory=list)

    def merge(self, other: "ReviewOutcome") -> None:
        self.reviewed += other.reviewed
        self.flags += other.flags
        self.kudos += other.kudos


def reps_to_review() -> list[int]:
    """Ids of every active rep, in a stable order (the review chunks them)."""
    return list(
        User.objects.filter(role=Role.REP, is_active=True, team__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def last_work_days(rep: User, before: dt.date, count: int) -> list[dt.date]:
    """The `count` work days before `before`, oldest first."""
    days, day = [], before
    while len(days) < count and (before - day).days < 31:
        day -= dt.timedelta(days=1)
        if day.isoweekday() in (rep.work_days or []):
            days.append(day)
    return sorted(days)


def work_days_between(rep: User, start: dt.date, end: dt.date) -> int:
    return sum(
        1
        for offset in range((end - start).days + 1)
        if (start + dt.timedelta(days=offset)).isoweekday() in (rep.work_days or [])
    )


@transaction.atomic
def review_chunk(
    *, rep_ids: list[int], now: dt.datetime | None = None
) -> ReviewOutcome:
    """Review these reps at `now`; idempotent, one transaction per chunk."""
    now = now or timezone.now()
    reps = list(
        User.objects.filter(pk__in=rep_ids, is_active=True).select_related("team")
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

    metrics = list(Metric.objects.order_by("sort_order", "slug"))
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
        days = last_work_days(rep, today, dip_days)
        calendars[rep.pk] = (today, closed_month, this_month, days)
        month_ranges[rep.pk, "closed_month"] = closed_month
        month_ranges[rep.pk, "this_month"] = this_month
        if today > this_month[0]:
            month_ranges[rep.pk, "month_to_yesterday"] = (
                this_month[0],
                today - dt.timedelta(1),
            )
    quota_slugs = {rep.team.quota_metric for rep in due}
    attainment = attainment_for_ranges(
        reps=due,
        ranges=month_ranges,
        now=now,
        metrics=[metric for metric in metrics if metric.slug in quota_slugs],
    )
    activity_metrics = [m for m in metrics if m.kind == MetricKind.ACTIVITY]
    by_day = daily_targets_and_actuals(
        reps=due,
        days={rep.pk: calendars[rep.pk][3] for rep in due},
        metrics=activity_metrics,
    )

    previous_results = defaultdict(dict)
    earliest = min(closed[0] for _today, closed, _this, _days in calendars.values())
    for result in MonthResult.objects.filter(
        rep_id__in=[rep.pk for rep in due],
        month_start__gte=earliest - dt.timedelta(days=31 * 12),
    ):
        previous_results[result.rep_id][result.month_start] = result.met
    open_dips = set(
        Flag.objects.filter(
            rep_id__in=[rep.pk for rep in due],
            kind=FlagKind.ACTIVITY_DIP,
            status=FlagStatus.OPEN,
            period_start__gte=min(c[0] for c in calendars.values()) - dt.timedelta(14),
        ).values_list("rep_id", "metric_id")
    )

    flags, results, kudos = [], [], []
    for rep in due:
        today, closed_month, this_month, days = calendars[rep.pk]
        quota_metric = metrics_by_slug.get(rep.team.quota_metric)
        if quota_metric is None:
            continue
        month = attainment[rep.pk, "closed_month"].for_metric(quota_metric.slug)
        if month is not None and month.target is not None:
            met = month.status == MET
            results.append(
                MonthResult(
                    rep=rep,
                    month_start=closed_month[0],
                    metric=quota_metric,
                    target=month.target,
                    actual=month.actual,
                    met=met,
                )
            )
            if not met:
                flags.append(
                    new_flag(
                        rep,
                        FlagKind.BELOW_QUOTA,
                        quota_metric,
                        MONTH,
                        closed_month,
                        month.target,
                        month.actual,
                        month.percent,
                    )
                )
            else:
                streak = 1 + months_in_a_row(previous_results[rep.pk], closed_month[0])
                if streak >= settings.REVIEW_PRAISE_MONTHS:
                    kudos.append(system_kudos(rep, closed_month[0], streak))

        quota_now = attainment[rep.pk, "this_month"].for_metric(quota_metric.slug)
        on_quota = quota_now is not None and quota_now.status != BEHIND
        trusted = rep.autonomy_level in TRUSTED_LEVELS
        if len(days) == dip_days and not (on_quota and trusted):
            flags += activity_dips(rep, by_day, activity_metrics, days, open_dips)

        if today.day >= settings.REVIEW_AT_RISK_DAY and (
            rep.pk,
            "month_to_yesterday",
        ) in (attainment):
            flag = at_risk_flag(
                rep,
                attainment[rep.pk, "month_to_yesterday"],
                quota_metric,
                this_month,
                today,
            )
            if flag is not None:
                flags.append(flag)

    expire_stale_flags(due, now)
    MonthResult.objects.bulk_create(results, ignore_conflicts=True)
    created_flags = create_idempotently(
        Flag, flags, key=lambda f: (f.rep_id, f.kind, f.metric_id, f.period_start)
    )
    created_kudos = create_idempotently(
        Kudos, kudos, key=lambda k: (k.rep_id, k.period_start), is_system=True
    )
    ReviewState.objects.bulk_create(
        [
            ReviewState(rep=rep, last_local_date=rep.local_date(now), reviewed_at=now)
            for rep in due
        ],
        update_conflicts=True,
        unique_fields=["rep"],
        update_fields=["last_local_date", "reviewed_at"],
    )
    announce(created_flags, created_kudos, due)
    return ReviewOutcome(reviewed=len(due), flags=created_flags, kudos=created_kudos)


# An activity dip nobody acted on fades after this; a fresh dip raises a new flag.
DIP_FLAG_DAYS = 7


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


def months_in_a_row(results: dict[dt.date, bool], before: dt.date) -> int:
    """How many months straight before `before` the rep met quota."""
    count, month = 0, before
    while True:
        month = (month - dt.timedelta(days=1)).replace(day=1)
        if not results.get(month):
            return count
        count += 1


def new_flag(rep, kind, metric, period, bounds, target, actual, percent) -> Flag:
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


def system_kudos(rep: User, month_start: dt.date, streak: int) -> Kudos:
    message = ngettext(
        "%(count)d month in a row on quota",
        "%(count)d months in a row above quota",
        streak,
    ) % {"count": streak}
    return Kudos(
        rep=rep,
        message=message,
        is_system=True,
        period_start=month_start,
        streak=streak,
    )


def activity_dips(rep, by_day, metrics, days, open_dips) -> list[Flag]:
    """Activity metrics below their daily target on each of the last K work days."""
    flags = []
    for metric in metrics:
        if (rep.pk, metric.pk) in open_dips:
            continue
        per_day = by_day[rep.pk, metric.pk]
        if all(target and actual < target for target, actual in per_day):
            target = sum(target for target, _actual in per_day)
            actual = sum(actual for _target, actual in per_day)
            percent = int(
                (actual * 100 / target).to_integral_value(rounding=ROUND_FLOOR)
            )
            flags.append(
                new_flag(
                    rep,
                    FlagKind.ACTIVITY_DIP,
                    metric,
                    "day",
                    (days[0], days[-1]),
                    target,
                    actual,
                    percent,
                )
            )
    return flags


def at_risk_flag(
    rep, month_to_yesterday, quota_metric, this_month, today
) -> Flag | None:
    """Project the month at its current pace; under the threshold raises the alarm early."""
    item = month_to_yesterday.for_metric(quota_metric.slug)
    if item is None or item.target is None:
        return None
    elapsed = work_days_between(rep, this_month[0], today - dt.timedelta(days=1))
    total_days = work_days_between(rep, this_month[0], this_month[1])
    if not elapsed or not total_days:
        return None
    # The target so far covers the elapsed days only; scale it to the whole month.
    month_target = item.target * total_days / elapsed
    projected = item.actual * total_days / elapsed
    percent = int(
        (projected * 100 / month_target).to_integral_value(rounding=ROUND_FLOOR)
    )
    if percent >= settings.REVIEW_AT_RISK_PERCENT:
        return None
    return new_flag(
        rep,
        FlagKind.AT_RISK,
        quota_metric,
        MONTH,
        this_month,
        month_target.quantize(Decimal("0.01")),
        item.actual,
        percent,
    )


def create_idempotently(model, rows: list, *, key, **scope) -> list:
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


def announce(flags: list[Flag], kudos: list[Kudos], reps: list[User]) -> None:
    """Tell managers about flags and reps about praise, each in their own language.

    Drafts are written one language at a time: switching language per message would
    cost more than writing it.
    """
    manager_of = {rep.pk: rep.team.manager_id for rep in reps}
    rep_by_id = {rep.pk: rep for rep in reps}
    metric_by_id = {metric.pk: metric for metric in Metric.objects.all()}
    manager_language = dict(
        User.objects.filter(pk__in=set(manager_of.values())).values_list(
            "pk", "language"
        )
    )
    # (language, recipient, flag or kudos) for every message to write
    messages = [
        (manager_language[manager_of[flag.rep_id]], flag)
        for flag in flags
        if manager_of.get(flag.rep_id)
    ] + [(rep_by_id[praise.rep_id].language, praise) for praise in kudos]
    messages.sort(key=lambda message: message[0])
    drafts = []
    for language, group in groupby(messages, key=lambda message: message[0]):
        with translation.override(language):
            attention_url = reverse("targets:needs_attention")
            kudos_url = reverse("targets:kudos")
            for _language, item in group:
                if isinstance(item, Flag):
                    drafts.append(
                        flag_notification(
                            item,
                            manager_id=manager_of[item.rep_id],
                            rep=rep_by_id[item.rep_id],
                            metric=metric_by_id[item.metric_id],
                            url=attention_url,
                        )
                    )
                else:
                    drafts.append(
                        Notification(
                            user_id=item.rep_id,
                            key=f"kudos:{item.pk}",
                            kind="kudos",
                            title=_("Kudos: %(message)s") % {"message": item.message},
                            body=_("Well done. Keep it up!"),
                            url=kudos_url,
                        )
                    )
    notify_many(drafts)


def flag_notification(
    flag: Flag, *, manager_id: int, rep: User, metric: Metric, url: str
) -> Notification:
    """The manager's notification of a flag, in the active language."""
    return Notification(
        user_id=manager_id,
        key=f"flag:{flag.pk}",
        kind=f"flag.{flag.kind}",
        title=_("%(kind)s: %(rep)s at %(percent)d%% of %(metric)s")
        % {
            "kind": flag.get_kind_display(),
            "rep": rep,
            "percent": flag.percent,
            "metric": metric.label,
        },
        body=_("Target %(target)s, actual %(actual)s, for the period from %(start)s.")
        % {"target": flag.target, "actual": flag.actual, "start": flag.period_start},
        url=url,
    )


@transaction.atomic
def kudos_give(*, rep: User, by: User, message: str) -> Kudos:
    """A manager's own praise, for any reason."""
    from django.core.exceptions import ValidationError

    from accounts.permissions import may_manage

    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say what the kudos is for.")})
    if rep.pk == by.pk or not may_manage(by, rep) or by.role == Role.REP:
        raise ValidationError(
            {"rep": _("You can give kudos to the reps of your teams.")}
        )
    praise = Kudos.objects.create(rep=rep, given_by=by, message=message[:300])
    notify(
        user=rep,
        key=f"kudos:{praise.pk}",
        kind="kudos",
        title=_("Kudos from %(name)s") % {"name": by},
        body=praise.message,
        url="/",
    )
    return praise


@transaction.atomic
def flag_resolve(*, flag: Flag) -> Flag:
    if flag.status == FlagStatus.OPEN:
        flag.status = FlagStatus.RESOLVED
        flag.resolved_at = timezone.now()
        flag.save(update_fields=["status", "resolved_at"])
    return flag


def dip_flags_refresh(*, rep_id: int, now: dt.datetime | None = None) -> int:
    """Resolve a rep's open activity-dip flags once today's activity meets the target."""
    now = now or timezone.now()
    flags = list(
        Flag.objects.filter(
            rep_id=rep_id, kind=FlagKind.ACTIVITY_DIP, status=FlagStatus.OPEN
        ).select_related("rep", "metric")
    )
    if not flags:
        return 0
    rep = flags[0].rep
    today = rep.local_date(now)
    attainment = attainment_for_ranges(
        reps=[rep], ranges={(rep.pk, "today"): (today, today)}, now=now
    )[rep.pk, "today"]
    resolved = 0
    for flag in flags:
        item = attainment.for_metric(flag.metric.slug)
        if item is not None and item.status == MET:
            flag_resolve(flag=flag)
            resolved += 1
    return resolved
