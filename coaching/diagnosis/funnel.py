"""Diagnosing reps: their funnel against their team's, the constraint, the back-solve.

`diagnoses_for` is the one entry point (`diagnose` and `diagnose_team` wrap it): it
reads every rep's teammates too (the team's median and top quartile are over the same
window, each rep in their own calendar) in a fixed number of queries.
"""

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from accounts.models import Role, Team, User
from coaching.diagnosis.arithmetic import (
    STAGES,
    FunnelCounts,
    back_solve,
    constraint_stage,
    in_order,
    median,
    stage_gains,
    upper_quartile,
    whole,
)
from coaching.diagnosis.reading import (
    APPOINTMENTS,
    CALLS,
    CURRENT,
    DEALS,
    EMAILS,
    NOTES,
    PREVIOUS,
    connected_totals,
    funnel_counts,
    metrics_by_slug,
    next_quotas,
    tally_totals,
    work_days_of,
)
from coaching.diagnosis.results import (
    ActivityMix,
    Constraint,
    ConstraintKind,
    Diagnosis,
    Required,
    StageResult,
)
from coaching.diagnosis.windows import Window, days_window, month_window
from coaching.models import FunnelStage
from targets.quota import rep_quota_metric_slug

CENT = Decimal("0.01")


def window_for(
    rep: User,
    *,
    on: dt.date | None = None,
    days: int | None = None,
    month: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Window:
    """The rep's window: the closed month holding `month`, else the last `days` days
    before `on` (default: the rep's own today)."""
    days = days or settings.DIAGNOSIS_WINDOW_DAYS
    if month is not None:
        return month_window(month=month, days=days)
    return days_window(on=on or rep.local_date(now), days=days)


def team_members(reps: list[User]) -> dict[int | None, list[User]]:
    """Team id -> its active reps (and any of `reps` who are not): one query."""
    team_ids = {rep.team_id for rep in reps if rep.team_id}
    members: dict[int | None, dict[int, User]] = defaultdict(dict)
    for rep in reps:
        # A rep without a team is their own team; an inactive one is still diagnosed.
        members[_team_key(rep)][rep.pk] = rep
    if team_ids:
        # Teammates count towards the team's rates: their windows and work days (the
        # reps themselves are loaded already).
        for member in (
            User.objects.filter(team_id__in=team_ids, role=Role.REP, is_active=True)
            .exclude(pk__in=[rep.pk for rep in reps])
            .only("id", "team_id", "timezone", "work_days", "start_date")
        ):
            members[member.team_id][member.pk] = member
    return {key: list(people.values()) for key, people in members.items()}


def _team_key(rep: User) -> int:
    return rep.team_id if rep.team_id else -rep.pk


def diagnoses_for(
    reps: list[User],
    *,
    on: dt.date | None = None,
    days: int | None = None,
    month: dt.date | None = None,
    now: dt.datetime | None = None,
    previous: bool = True,
) -> dict[int, Diagnosis]:
    """Rep id -> diagnosis, in four queries for any number of reps (load `team`; the
    metrics come from the process's copy, `activities.metric_cache`).

    Each rep's window is in their own calendar: the last `days` (DIAGNOSIS_WINDOW_DAYS)
    days to the day before `on` (their own today when None), or the closed month
    holding `month` with the `days` before it as the previous window. Without
    `previous` the previous window is not read (its rates are None): the review's
    plans do not show it.
    """
    if not reps:
        return {}
    now = now or timezone.now()
    by_team = team_members(reps)
    everyone = [person for people in by_team.values() for person in people]
    windows = {
        person.pk: window_for(person, on=on, days=days, month=month, now=now)
        for person in everyone
    }
    metrics = metrics_by_slug({rep_quota_metric_slug(rep) for rep in reps})
    tallies = tally_totals(windows=windows, metrics=metrics, previous=previous)
    connected = connected_totals(
        windows=windows, calls=metrics.get(CALLS), previous=previous
    )
    quotas = next_quotas(reps=reps, windows=windows, metrics=metrics)
    counts = {
        person.pk: funnel_counts(
            person, windows[person.pk], CURRENT, tallies, connected
        )
        for person in everyone
    }
    team_stats = {
        key: _team_stats([counts[person.pk] for person in people])
        for key, people in by_team.items()
    }
    results = {}
    for rep in reps:
        window = windows[rep.pk]
        before = (
            funnel_counts(rep, window, PREVIOUS, tallies, connected)
            if previous
            else None
        )
        mix = ActivityMix(
            calls=counts[rep.pk].calls,
            emails=int(tallies.get((rep.pk, EMAILS, CURRENT), 0)),
            thank_you_notes=int(tallies.get((rep.pk, NOTES, CURRENT), 0)),
            appointments=int(tallies.get((rep.pk, APPOINTMENTS, CURRENT), 0)),
            work_days=counts[rep.pk].work_days,
        )
        results[rep.pk] = _diagnosis(
            rep=rep,
            window=window,
            counts=counts[rep.pk],
            previous=before,
            mix=mix,
            team=team_stats[_team_key(rep)],
            team_size=len(by_team[_team_key(rep)]),
            quota=quotas.get(rep.pk),
            quota_metric=metrics.get(rep_quota_metric_slug(rep)),
        )
    return results


def diagnose(
    rep: User,
    *,
    on: dt.date | None = None,
    days: int | None = None,
    month: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Diagnosis:
    """One rep's diagnosis (see `diagnoses_for`)."""
    return diagnoses_for([rep], on=on, days=days, month=month, now=now)[rep.pk]


def diagnose_team(
    team: Team,
    *,
    on: dt.date | None = None,
    days: int | None = None,
    month: dt.date | None = None,
    now: dt.datetime | None = None,
) -> list[Diagnosis]:
    """Every active rep of the team, by name: five queries whatever the team's size."""
    reps = list(
        team.members.filter(role=Role.REP, is_active=True).select_related("team")
    )
    found = diagnoses_for(reps, on=on, days=days, month=month, now=now)
    return [found[rep.pk] for rep in reps]


def _team_stats(
    counts: list[FunnelCounts],
) -> dict[str, tuple[Fraction | None, Fraction | None]]:
    """Stage -> (median, top quartile) over the teammates with enough events to judge;
    with none judged, the team's pooled rate for both."""
    minimum = settings.DIAGNOSIS_MIN_EVENTS
    stats = {}
    for stage in STAGES:
        judged = [
            rate
            for person in counts
            if person.events(stage) >= minimum
            and (rate := person.rate(stage)) is not None
        ]
        if judged:
            ordered = in_order(judged)
            stats[stage] = (median(ordered), upper_quartile(ordered))
            continue
        pooled = FunnelCounts(
            work_days=sum(person.work_days for person in counts),
            calls=sum(person.calls for person in counts),
            connected=sum(person.connected for person in counts),
            appointments=sum(person.appointments for person in counts),
            deals=sum(person.deals for person in counts),
            revenue=sum((person.revenue for person in counts), Decimal(0)),
        ).rate(stage)
        stats[stage] = (pooled, pooled)
    return stats


def _diagnosis(
    *,
    rep: User,
    window: Window,
    counts: FunnelCounts,
    previous: FunnelCounts | None,
    mix: ActivityMix,
    team: dict[str, tuple[Fraction | None, Fraction | None]],
    team_size: int,
    quota: Decimal | None,
    quota_metric,
) -> Diagnosis:
    minimum = settings.DIAGNOSIS_MIN_EVENTS
    rates: dict[str, Fraction] = {}
    judged: dict[str, bool] = {}
    for stage in STAGES:
        own = counts.rate(stage)
        judged[stage] = own is not None and counts.events(stage) >= minimum
        fallback = team[stage][0] if team[stage][0] is not None else own
        rates[stage] = own if judged[stage] else (fallback or Fraction(0))
    medians = {stage: team[stage][0] for stage in STAGES}
    gains = stage_gains(work_days=counts.work_days, rates=rates, team=medians)
    stages = [
        StageResult(
            stage=stage,
            rep_rate=counts.rate(stage),
            team_median=team[stage][0],
            team_top_quartile=team[stage][1],
            previous_rate=previous.rate(stage) if previous else None,
            events=counts.events(stage),
            judged=judged[stage],
            rate=rates[stage],
            gain=gains[stage],
        )
        for stage in STAGES
    ]
    worst = constraint_stage(gains)
    constraint = None
    if worst is not None:
        constraint = Constraint(
            stage=worst,
            kind=ConstraintKind.OF_STAGE[worst],
            lost_revenue=_money(gains[worst]),
            rep_rate=rates[worst],
            team_rate=medians[worst],
        )
    top_volume = team[FunnelStage.VOLUME][1]
    ceiling = (
        top_volume * Fraction(str(settings.DIAGNOSIS_CEILING_FACTOR))
        if top_volume
        else None
    )
    required = required_team = None
    if quota is not None and _solvable(quota_metric):
        period = window.next_period
        solve = {
            "quota": quota,
            "quota_metric": quota_metric,
            "period": period,
            "work_days": work_days_of(rep, *period),
            "ceiling": ceiling,
        }
        required = _required(rates=rates, **solve)
        if constraint is not None:
            required_team = _required(
                rates=rates | {constraint.stage: constraint.team_rate}, **solve
            )
    return Diagnosis(
        rep=rep,
        window=window,
        counts=counts,
        previous_counts=previous,
        stages=stages,
        mix=mix,
        team_size=team_size,
        constraint=constraint,
        required=required,
        required_at_team_rate=required_team,
    )


def _solvable(quota_metric) -> bool:
    """The back-solve works from a money quota (through the deal size) or from deals."""
    return quota_metric is not None and (
        quota_metric.is_money or quota_metric.slug == DEALS
    )


def _money(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def _required(
    *,
    rates: dict[str, Fraction],
    quota: Decimal,
    quota_metric,
    period: tuple[dt.date, dt.date],
    work_days: int,
    ceiling: Fraction | None,
) -> Required:
    solution = back_solve(
        quota=quota,
        quota_in_deals=not quota_metric.is_money,
        rates=rates,
        work_days=work_days,
    )
    per_day = solution.calls_per_work_day if solution else None
    return Required(
        quota=quota,
        quota_metric=quota_metric.slug,
        period=period,
        work_days=work_days,
        rates=dict(rates),
        deals=whole(solution.deals) if solution else None,
        appointments=whole(solution.appointments) if solution else None,
        connected=whole(solution.connected) if solution else None,
        calls=whole(solution.calls) if solution else None,
        calls_per_work_day=whole(per_day),
        ceiling_calls_per_work_day=ceiling,
        exceeds_ceiling=solution is None
        or (ceiling is not None and per_day is not None and per_day > ceiling),
    )
