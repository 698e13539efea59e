"""Demo and benchmark history: plausible activities and deals, written in bulk.

Each rep gets a steady "form" (some above target, some below), work-day activity within
their local work hours, and a few deals a month. Rows are bulk-inserted together with the
matching day tallies, so a million activities take minutes, not hours.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role, Team, User
from activities.models import Activity, CallOutcome, DayTally, Deal, Metric, Source
from activities.seeds import DEAL_METRICS

# Mean per work day for a rep in normal form (the Standard targets: 25, 10, 5 a week).
DAILY_MEANS = {
    "calls": 26.0,
    "thank_you_notes": 10.5,
    "appointments": 1.1,
    "emails": 6.0,
}
# Form factors cycle over reps: some comfortably above target, some clearly below.
FORMS = [1.2, 0.95, 1.1, 0.7, 1.3, 0.85, 1.05, 0.6, 1.15, 0.9]
MEAN_DEAL = 2600  # with ~8 deals a month: about the 20,000 monthly quota
DEALS_PER_WORK_DAY = 8 / 21
OUTCOMES = [CallOutcome.CONNECTED, CallOutcome.VOICEMAIL, CallOutcome.NO_ANSWER]
BENCH_ZONES = [
    "Europe/Athens",
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Pacific/Honolulu",
    "Pacific/Kiritimati",
]
BENCH_TEAM_SIZE = 10


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# The method's stories, one clear example each, by email: the rep's form in the month
# `months_ago` months before this one (0: the running month).
STORY_FORMS = {
    # A star: on target week after week and month after month (praised, left alone).
    "sofia@example.com": lambda months_ago: 1.35,
    # Below quota last month after good months: a flag, a plan and a booked one-on-one.
    "nikos@example.com": lambda months_ago: 0.5 if months_ago <= 1 else 1.25,
    # Recovering: below quota two months ago, back on quota since (the plan closed).
    "james@example.com": lambda months_ago: 0.5 if months_ago == 2 else 1.3,
    # A new rep being ramped: on target since starting a few weeks ago.
    "maria@example.com": lambda months_ago: 1.25,
    # A new rep behind on his ramp: well below the ramped targets since starting.
    "michael@example.com": lambda months_ago: 0.35,
}
# A demo rep closes one deal a work day, so a month's revenue follows the form without
# the luck of the draw: about 21 work days × 1,000 is the 20,000 monthly quota.
STORY_DEAL_AMOUNT = 1000
# The rest of a demo team is on quota or just above it every month (only the story reps
# miss it), so a manager sees one rep below quota, not half the team.
ON_QUOTA_FORMS = [1.1, 1.05, 1.2, 1.08, 1.15]
BENCH_REP_PREFIX = "bench-rep-"


def is_bench_rep(rep: User) -> bool:
    return rep.email.startswith(BENCH_REP_PREFIX)


def rep_form(rep: User, *, months_ago: int = 0) -> float:
    """The rep's form on activity (calls, notes, appointments, emails)."""
    story = STORY_FORMS.get(rep.email)
    if story is not None:
        return story(months_ago)
    return FORMS[rep.pk % len(FORMS)]


def revenue_form(rep: User, *, months_ago: int = 0) -> float:
    """The rep's form on revenue: a demo rep outside the stories meets quota, even in
    weeks light on activity."""
    if rep.email in STORY_FORMS or is_bench_rep(rep):
        return rep_form(rep, months_ago=months_ago)
    return ON_QUOTA_FORMS[rep.pk % len(ON_QUOTA_FORMS)]


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _moment(*, rng: random.Random, rep: User, day: dt.date) -> dt.datetime:
    """A random moment within the rep's work hours on a local day, in UTC."""
    start = dt.datetime.combine(day, rep.work_start, tzinfo=rep.zone)
    end = dt.datetime.combine(day, rep.work_end, tzinfo=rep.zone)
    seconds = max(int((end - start).total_seconds()), 60)
    return (start + dt.timedelta(seconds=rng.randrange(seconds))).astimezone(dt.UTC)


def _rep_history(
    *,
    rep: User,
    days: int,
    now: dt.datetime,
    metrics: dict[str, Metric],
    tallies: dict,
    deals: list[Deal],
    since: dt.date | None = None,
) -> None:
    """A rep's day tallies and deals for the last `days` days, or from `since` to
    yesterday (activities come after).

    Nothing before the rep's start date: a rep who starts today has no history.
    """
    rng = random.Random(f"salesteam-demo-{rep.email}")
    today = rep.local_date(now)
    work_days = set(rep.work_days or [])
    steady = not is_bench_rep(rep)  # demo reps: one deal a work day, no luck
    first = since or today - dt.timedelta(days=days)
    for offset in range((today - first).days, 0, -1):
        day = today - dt.timedelta(days=offset)
        if day.isoweekday() not in work_days:
            continue
        if rep.start_date and day < rep.start_date:
            continue
        months_ago = months_between(day, today)
        form = rep_form(rep, months_ago=months_ago)
        for slug, mean in DAILY_MEANS.items():
            metric = metrics.get(slug)
            if metric is None:
                continue
            count = max(0, round(rng.gauss(mean * form, mean * 0.25)))
            if count:
                tallies[rep.pk, metric.pk, day][0] += count
        deal_form = revenue_form(rep, months_ago=months_ago)
        if steady or rng.random() < DEALS_PER_WORK_DAY * deal_form:
            mean_deal = round(STORY_DEAL_AMOUNT * deal_form) if steady else None
            amount = Decimal(
                mean_deal or max(200, round(rng.gauss(MEAN_DEAL, 900)))
            ).quantize(Decimal("0.01"))
            deals.append(
                Deal(
                    rep_id=rep.pk,
                    title=f"Deal {day:%Y-%m-%d} #{rng.randrange(1000, 9999)}",
                    amount=amount,
                    closed_at=_moment(rng=rng, rep=rep, day=day),
                    local_date=day,
                    source=Source.WEB,
                )
            )
            for slug in DEAL_METRICS:
                if slug in metrics:
                    tally = tallies[rep.pk, metrics[slug].pk, day]
                    tally[0] += 1
                    tally[1] += amount


def _activities_in_python(
    *, reps: dict[int, User], tallies: dict, metrics: dict[str, Metric]
) -> Iterator[Activity]:
    """One Activity a counted unit, at a random moment of the rep's work hours."""
    rng = random.Random("salesteam-demo-activities")
    calls = metrics.get("calls")
    activity_metrics = {metrics[slug].pk for slug in DAILY_MEANS if slug in metrics}
    for (rep_id, metric_id, day), (count, _amount) in tallies.items():
        if metric_id not in activity_metrics:
            continue
        for _ in range(count):
            yield Activity(
                rep_id=rep_id,
                metric_id=metric_id,
                quantity=1,
                occurred_at=_moment(rng=rng, rep=reps[rep_id], day=day),
                local_date=day,
                outcome=rng.choice(OUTCOMES) if calls and metric_id == calls.pk else "",
                source=Source.WEB,
            )


def _activities_in_postgresql(*, rep_ids: list[int], metrics: dict[str, Metric]) -> int:
    """The same rows as `_activities_in_python`, expanded from the day tallies by the
    database itself: ten times faster for the benchmarks' millions of rows."""
    calls = metrics.get("calls")
    activity_metrics = [metrics[slug].pk for slug in DAILY_MEANS if slug in metrics]
    sql = f"""
        INSERT INTO {Activity._meta.db_table}
            (rep_id, metric_id, quantity, occurred_at, local_date, outcome, note,
             source, created_at)
        SELECT tally.rep_id, tally.metric_id, 1,
               ((tally.local_date + rep.work_start)
                + random() * (rep.work_end - rep.work_start)) AT TIME ZONE rep.timezone,
               tally.local_date,
               CASE WHEN tally.metric_id = %(calls)s
                    THEN (%(outcomes)s::text[])[1 + floor(random() * %(choices)s)::int]
                    ELSE '' END,
               '', %(source)s, now()
        FROM {DayTally._meta.db_table} tally
        JOIN {User._meta.db_table} rep ON rep.id = tally.rep_id
        CROSS JOIN LATERAL generate_series(1, tally.quantity)
        WHERE tally.rep_id = ANY(%(reps)s) AND tally.metric_id = ANY(%(metrics)s)
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "calls": calls.pk if calls else None,
                "outcomes": [str(outcome) for outcome in OUTCOMES],
                "choices": len(OUTCOMES),
                "source": Source.WEB,
                "reps": rep_ids,
                "metrics": activity_metrics,
            },
        )
        return cursor.rowcount


def history_seed(
    *,
    reps: list[User],
    days: int,
    now: dt.datetime | None = None,
    batch_size: int = 5000,
    reps_per_batch: int = 100,
    since: dt.date | None = None,
) -> int:
    """Give every rep without any activity `days` days of history (or history from
    `since`, the same date for everyone); returns the count.

    Reps that already have activities are left alone, so running it again adds nothing.
    Each batch of reps is one transaction: tallies and deals are computed here and
    bulk-inserted, then the activities are expanded from the tallies (by PostgreSQL
    itself where it runs, else as Python objects).
    """
    now = now or timezone.now()
    metrics = {metric.slug: metric for metric in Metric.objects.all()}
    done = set(
        Activity.objects.filter(rep__in=reps)
        .values_list("rep_id", flat=True)
        .distinct()
    )
    written = 0
    for batch in batched([rep for rep in reps if rep.pk not in done], reps_per_batch):
        tallies: dict = defaultdict(lambda: [0, Decimal(0)])
        deals: list[Deal] = []
        for rep in batch:
            _rep_history(
                rep=rep,
                days=days,
                now=now,
                metrics=metrics,
                tallies=tallies,
                deals=deals,
                since=since,
            )
        with transaction.atomic():
            Deal.objects.bulk_create(deals, batch_size=batch_size)
            DayTally.objects.bulk_create(
                [
                    DayTally(
                        rep_id=rep_id,
                        metric_id=metric_id,
                        local_date=local_date,
                        quantity=quantity,
                        amount=amount,
                    )
                    for (rep_id, metric_id, local_date), (
                        quantity,
                        amount,
                    ) in tallies.items()
                ],
                batch_size=batch_size,
            )
            if connection.vendor == "postgresql":
                written += _activities_in_postgresql(
                    rep_ids=[rep.pk for rep in batch], metrics=metrics
                )
                continue
            activities = _activities_in_python(
                reps={rep.pk: rep for rep in batch}, tallies=tallies, metrics=metrics
            )
            for chunk in batched(activities, batch_size):
                Activity.objects.bulk_create(chunk)
                written += len(chunk)
    return written


def bench_reps_ensure(*, total: int, password: str) -> list[User]:
    """Top the organisation up to `total` reps with benchmark reps, in bulk.

    Benchmark people live in "Bench n" teams of ten, spread over eight time zones, and
    share one password hash (hashing per person would dominate the run time).
    """
    missing = total - User.objects.filter(role=Role.REP).count()
    if missing <= 0:
        return []
    password_hash = make_password(password)
    existing = User.objects.filter(email__startswith="bench-rep-").count()
    created = []
    with transaction.atomic():
        for number in range(existing, existing + missing):
            team_number = number // BENCH_TEAM_SIZE + 1
            team = Team.objects.filter(name=f"Bench {team_number}").first()
            if team is None:
                manager = User.objects.create(
                    email=f"bench-manager-{team_number}@example.com",
                    first_name="Bench",
                    last_name=f"Manager {team_number}",
                    role=Role.MANAGER,
                    timezone=BENCH_ZONES[team_number % len(BENCH_ZONES)],
                    password=password_hash,
                )
                team = Team.objects.create(name=f"Bench {team_number}", manager=manager)
            created.append(
                User(
                    email=f"bench-rep-{number + 1}@example.com",
                    first_name="Bench",
                    last_name=f"Rep {number + 1}",
                    role=Role.REP,
                    team=team,
                    timezone=BENCH_ZONES[number % len(BENCH_ZONES)],
                    password=password_hash,
                )
            )
            if len(created) >= 1000:
                User.objects.bulk_create(created)
                created = []
        User.objects.bulk_create(created)
    return list(User.objects.filter(email__startswith="bench-rep-"))
