"""Building blocks for results-review scenarios: reps with a quota, sales, local times."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from activities.models import DayTally
from activities.services import deal_log
from targets.services import target_set
from tests import factories

QUOTA = Decimal("10000")
SINCE = dt.date(2026, 1, 1)


def at(zone: str, *args) -> dt.datetime:
    """A wall-clock time in a zone: at("Europe/Athens", 2026, 11, 2, 9)."""
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def rep_with_quota(team, zone: str, *, daily_calls: int | None = None, **fields):
    """A rep of `team` in `zone` with a monthly revenue quota (and a daily call target)."""
    rep = factories.RepFactory(team=team, timezone=zone, **fields)
    agreed = at(zone, 2026, 1, 1, 9)
    target_set(
        rep=rep,
        metric=factories.metric("revenue"),
        period="month",
        amount=QUOTA,
        effective_from=SINCE,
        by=team.manager,
        now=agreed,
    )
    if daily_calls:
        target_set(
            rep=rep,
            metric=factories.metric("calls"),
            period="day",
            amount=daily_calls,
            effective_from=SINCE,
            by=team.manager,
            now=agreed,
        )
    return rep


def sell(rep, amount, when: dt.datetime) -> None:
    """A won deal, logged by the rep's manager (who may back-date)."""
    deal_log(
        rep=rep,
        title="Deal",
        amount=Decimal(amount),
        closed_at=when,
        by=rep.team.manager,
        now=when + dt.timedelta(minutes=1),
    )


def rep_on_a_deals_team(team, *, deals_target: int = 3):
    """A rep of a team whose quota is deals: 3 deals and €10,000 revenue a month."""
    team.quota_metric = "deals"
    team.save(update_fields=["quota_metric"])
    rep = rep_with_quota(team, "Europe/Athens")
    target_set(
        rep=rep,
        metric=factories.metric("deals"),
        period="month",
        amount=deals_target,
        effective_from=SINCE,
        by=team.manager,
        now=at("Europe/Athens", 2026, 1, 1, 9),
    )
    return rep


def day_tallies(rep, slug: str, values: dict[dt.date, int]) -> None:
    """Day tallies of one metric written as they are (the amount for money, the count
    otherwise): fixed data sets for arithmetic with known answers."""
    metric = factories.metric(slug)
    DayTally.objects.bulk_create(
        DayTally(
            rep=rep,
            metric=metric,
            local_date=day,
            quantity=0 if metric.is_money else value,
            amount=Decimal(value) if metric.is_money else Decimal(0),
        )
        for day, value in values.items()
    )


RAMP_50_75 = [{"weeks": 4, "percent": 50}, {"weeks": 4, "percent": 75}]


def rep_on_ramp(team, zone: str, *, starts_on: dt.date, steps=RAMP_50_75, **targets):
    """A new rep of `team` who starts on `starts_on` on a ramp (50 % for four weeks,
    75 % for four more), with full targets given as slug=(period, amount)."""
    from targets.models import RepRamp

    rep = factories.RepFactory(team=team, timezone=zone, start_date=starts_on)
    RepRamp.objects.create(rep=rep, starts_on=starts_on, steps=steps)
    for slug, (period, amount) in targets.items():
        target_set(
            rep=rep,
            metric=factories.metric(slug),
            period=period,
            amount=Decimal(amount),
            effective_from=starts_on,
            by=None,
        )
    return rep


def log_every_work_day(rep, slug: str, quantity: int, first: dt.date, last: dt.date):
    """`quantity` of a metric on each of the rep's work days, logged at 10:00 local."""
    from activities.services import activity_log

    day = first
    while day <= last:
        if day.isoweekday() in rep.work_days:
            when = at(rep.timezone, day.year, day.month, day.day, 10)
            activity_log(
                rep=rep,
                metric=slug,
                quantity=quantity,
                occurred_at=when,
                by=rep.team.manager,
                now=when + dt.timedelta(hours=1),
            )
        day += dt.timedelta(days=1)
