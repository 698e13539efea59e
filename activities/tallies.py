"""The per-day tally: keeping it in step, checking it against a recount, rebuilding it."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from activities.models import Activity, DayTally, Deal, Metric
from activities.seeds import DEAL_METRICS
from core.sql import decimal_reader, fetch_rows, table, where_in

TallyKey = tuple[int, int, dt.date]  # rep id, metric id, local date


def tally_add(
    *,
    rep_id: int,
    metric_id: int,
    local_date: dt.date,
    quantity: int = 0,
    amount: Decimal = Decimal(0),
) -> None:
    """Add to one day's tally (negative values subtract); call inside the write's atomic.

    One `INSERT … ON CONFLICT DO UPDATE` (PostgreSQL and SQLite alike): a day's first
    write inserts the row, every later one adds to it, and two concurrent writes both
    count (the second waits on the row's lock, then adds). No savepoint, no second
    statement. Written as SQL: it runs on every activity write (core/sql.py).
    """
    name = table(DayTally)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {name} (rep_id, metric_id, local_date, quantity, amount)"
            " VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (rep_id, metric_id, local_date) DO UPDATE SET"
            f" quantity = {name}.quantity + excluded.quantity,"
            f" amount = {name}.amount + excluded.amount",
            [
                rep_id,
                metric_id,
                connection.ops.adapt_datefield_value(local_date),
                quantity,
                connection.ops.adapt_decimalfield_value(Decimal(amount), 14, 2),
            ],
        )


# The columns `activity_insert_counted` writes, in the order of its parameters.
ACTIVITY_COLUMNS = (
    "rep_id",
    "metric_id",
    "quantity",
    "occurred_at",
    "local_date",
    "contact_id",
    "outcome",
    "note",
    "source",
    "created_by_id",
    "created_at",
)


def activity_insert_counted(activity: Activity) -> None:
    """Insert a new activity and add it to its day tally, together.

    On PostgreSQL one statement: the INSERT with the tally's upsert in a data-modifying
    CTE. A statement is atomic by itself, so outside a transaction this needs no BEGIN
    and COMMIT (one round trip instead of four). Elsewhere (SQLite) the ORM's INSERT
    and `tally_add` in one transaction. Sets the activity's id and `created_at`; it
    writes no history row and sends no `post_save` (activities keep history for edits
    and deletes only, see activities.services.activities).
    """
    if connection.vendor != "postgresql":
        with transaction.atomic(savepoint=False):
            activity.save_without_historical_record()
            tally_add(
                rep_id=activity.rep_id,
                metric_id=activity.metric_id,
                local_date=activity.local_date,
                quantity=activity.quantity,
            )
        return
    activity.created_at = timezone.now()
    ops = connection.ops
    tally = table(DayTally)
    values = {field: getattr(activity, field) for field in ACTIVITY_COLUMNS} | {
        "occurred_at": ops.adapt_datetimefield_value(activity.occurred_at),
        "created_at": ops.adapt_datetimefield_value(activity.created_at),
        "local_date": ops.adapt_datefield_value(activity.local_date),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH counted AS (INSERT INTO {tally}"
            " (rep_id, metric_id, local_date, quantity, amount)"
            " VALUES (%s, %s, %s, %s, 0)"
            " ON CONFLICT (rep_id, metric_id, local_date) DO UPDATE SET"
            f" quantity = {tally}.quantity + excluded.quantity)"
            f" INSERT INTO {table(Activity)} ({', '.join(ACTIVITY_COLUMNS)})"
            f" VALUES ({', '.join(['%s'] * len(ACTIVITY_COLUMNS))}) RETURNING id",
            [
                values["rep_id"],
                values["metric_id"],
                values["local_date"],
                values["quantity"],
                *values.values(),
            ],
        )
        activity.pk = cursor.fetchone()[0]
    activity._state.adding = False
    activity._state.db = connection.alias


def day_values(
    *, rep_ids: list[int], metrics: list[Metric], first: dt.date, last: dt.date
) -> list[tuple[int, int, dt.date, Decimal]]:
    """(rep id, metric id, local date, value) of every day tally of these reps and metrics
    from `first` to `last`, in one query: the amount of a money metric, else the count.

    Written as SQL: every dashboard request makes this read (core/sql.py).
    """
    if not rep_ids or not metrics:
        return []
    money = {metric.pk for metric in metrics if metric.is_money}
    reps_in, rep_params = where_in("rep_id", rep_ids)
    metrics_in, metric_params = where_in("metric_id", [metric.pk for metric in metrics])
    rows = fetch_rows(
        "SELECT rep_id, metric_id, local_date, quantity, amount"
        f" FROM {table(DayTally)} WHERE {reps_in} AND {metrics_in}"
        " AND local_date >= %s AND local_date <= %s",
        [*rep_params, *metric_params, first, last],
    )
    amount_of = decimal_reader(DayTally, "amount")
    return [
        (
            rep_id,
            metric_id,
            local_date,
            amount_of(amount) if metric_id in money else Decimal(quantity),
        )
        for rep_id, metric_id, local_date, quantity, amount in rows
    ]


def range_totals(
    *,
    rep_ids: list[int],
    metrics: list[Metric],
    ranges: list[tuple[dt.date, dt.date]],
) -> dict[tuple[int, int, tuple[dt.date, dt.date]], Decimal]:
    """(rep id, metric id, range) -> the sum of the day tallies over each of a few local
    date ranges (both ends inclusive), in one query: the amount of a money metric, else
    the count, equal to what summing `day_values` gives (0 where nothing was logged).

    One sum a range, so a row comes back per rep and metric rather than per day (a
    review chunk's months: 500 rows, not 15,000). Written as SQL, as `day_values`.
    """
    if not rep_ids or not metrics or not ranges:
        return {}
    money = {metric.pk for metric in metrics if metric.is_money}
    reps_in, rep_params = where_in("rep_id", rep_ids)
    metrics_in, metric_params = where_in("metric_id", [metric.pk for metric in metrics])
    sums, sum_params = [], []
    for start, end in ranges:
        for column in ("quantity", "amount"):
            # NULL, not 0, outside the range: a range with no day sums to NULL (read as
            # 0) and otherwise keeps the column's own scale, as the day sums do.
            sums.append(
                f"SUM(CASE WHEN local_date >= %s AND local_date <= %s THEN {column} END)"
            )
            sum_params += [start, end]
    rows = fetch_rows(
        f"SELECT rep_id, metric_id, {', '.join(sums)} FROM {table(DayTally)}"
        f" WHERE {reps_in} AND {metrics_in} AND local_date >= %s AND local_date <= %s"
        " GROUP BY rep_id, metric_id",
        [
            *sum_params,
            *rep_params,
            *metric_params,
            min(start for start, _end in ranges),
            max(end for _start, end in ranges),
        ],
    )
    amount_of = decimal_reader(DayTally, "amount")
    totals = {}
    for rep_id, metric_id, *values in rows:
        is_money = metric_id in money
        for index, bounds in enumerate(ranges):
            quantity, amount = values[2 * index], values[2 * index + 1]
            if is_money:
                total = amount_of(amount) if amount is not None else Decimal(0)
            else:
                total = Decimal(quantity) if quantity is not None else Decimal(0)
            totals[rep_id, metric_id, bounds] = total
    return totals


def days_with_entries(*, rep_id: int, first: dt.date, last: dt.date) -> set[dt.date]:
    """The rep's local dates from `first` to `last` with anything logged, in one query.

    Read from the day tallies (a tally emptied by edits and deletes counts as nothing),
    never from the entries' times.
    """
    return set(
        DayTally.objects.filter(
            rep_id=rep_id, local_date__gte=first, local_date__lte=last, quantity__gt=0
        )
        .order_by()
        .values_list("local_date", flat=True)
        .distinct()
    )


def tallies_recount(*, rep_ids=None) -> dict[TallyKey, tuple[int, Decimal]]:
    """What the tallies should hold, counted from the raw activities and deals."""
    activities = Activity.objects.all()
    deals = Deal.objects.all()
    if rep_ids is not None:
        activities = activities.filter(rep_id__in=rep_ids)
        deals = deals.filter(rep_id__in=rep_ids)
    expected: dict[TallyKey, tuple[int, Decimal]] = {}
    for row in activities.values("rep_id", "metric_id", "local_date").annotate(
        total=Sum("quantity")
    ):
        key = (row["rep_id"], row["metric_id"], row["local_date"])
        expected[key] = (row["total"], Decimal(0))
    deal_metric_ids = list(
        Metric.objects.filter(slug__in=DEAL_METRICS).values_list("id", flat=True)
    )
    for row in deals.values("rep_id", "local_date").annotate(
        count=Count("id"), total=Sum("amount")
    ):
        for metric_id in deal_metric_ids:
            key = (row["rep_id"], metric_id, row["local_date"])
            expected[key] = (row["count"], Decimal(row["total"]))
    return expected


def tallies_stored(*, rep_ids=None) -> dict[TallyKey, tuple[int, Decimal]]:
    """The tallies as stored, leaving out days that add up to nothing."""
    rows = DayTally.objects.exclude(quantity=0, amount=0)
    if rep_ids is not None:
        rows = rows.filter(rep_id__in=rep_ids)
    return {
        (rep_id, metric_id, local_date): (quantity, Decimal(amount))
        for rep_id, metric_id, local_date, quantity, amount in rows.values_list(
            "rep_id", "metric_id", "local_date", "quantity", "amount"
        )
    }


@dataclass(frozen=True)
class TallyMismatch:
    key: TallyKey
    stored: tuple[int, Decimal] | None
    expected: tuple[int, Decimal] | None


def without_zeros(tallies: dict) -> dict:
    return {key: value for key, value in tallies.items() if any(value)}


def tallies_verify(*, rep_ids=None) -> list[TallyMismatch]:
    """Every (rep, metric, day) whose stored tally differs from a recount.

    A tally emptied by edits and deletes may stay as a zero row: zero equals no row.
    """
    expected = without_zeros(tallies_recount(rep_ids=rep_ids))
    stored = without_zeros(tallies_stored(rep_ids=rep_ids))
    return [
        TallyMismatch(key=key, stored=stored.get(key), expected=expected.get(key))
        for key in sorted(set(expected) | set(stored))
        if stored.get(key) != expected.get(key)
    ]


@transaction.atomic
def tallies_rebuild(*, rep_ids=None, batch_size: int = 5000) -> int:
    """Replace the stored tallies with a recount; returns the number of rows written."""
    expected = tallies_recount(rep_ids=rep_ids)
    existing = DayTally.objects.all()
    if rep_ids is not None:
        existing = existing.filter(rep_id__in=rep_ids)
    existing.delete()
    DayTally.objects.bulk_create(
        [
            DayTally(
                rep_id=rep_id,
                metric_id=metric_id,
                local_date=local_date,
                quantity=quantity,
                amount=amount,
            )
            for (rep_id, metric_id, local_date), (quantity, amount) in expected.items()
        ],
        batch_size=batch_size,
    )
    return len(expected)
