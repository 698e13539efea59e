"""Past activities and deals from CSV: every row is checked before anything is written.

Activities: date, email, metric, quantity, outcome. Deals: closed_date, email, amount,
title. Dates are the rep's local dates (ISO, e.g. 2026-09-14), so an entry lands on the
day the spreadsheet shows whatever the rep's zone; it is stored at noon that day (or now,
for today). Line numbers count the header as line 1, as in the people import, whose file
reading (`read_records`, `decode_upload`) this shares. The writes are bulk inserts with
their audit history, after which the reps' day tallies are rebuilt from a recount.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.people_import import RowError, UnreadableFile, read_records
from activities.models import MAX_QUANTITY, Activity, Deal, Metric, MetricKind, Source
from activities.services.activities import outcome_errors
from activities.services.deals import deal_amount_errors
from activities.services.rules import quantity_errors
from activities.tallies import tallies_rebuild

ACTIVITY_COLUMNS = ["date", "email", "metric", "quantity", "outcome"]
DEAL_COLUMNS = ["closed_date", "email", "amount", "title"]
# One file may hold this many rows; larger histories come in several files.
MAX_HISTORY_ROWS = 200_000
# The progress bar moves at least every this many rows, and about a hundred times a file.
PROGRESS_EVERY_ROWS = 100
BULK_BATCH_SIZE = 2000
MAX_TITLE_LENGTH = 200

ACTIVITY_TEMPLATE_CSV = (
    ",".join(ACTIVITY_COLUMNS) + "\r\n"
    "2026-09-14,eleni@example.com,calls,25,\r\n"
    "2026-09-14,eleni@example.com,calls,1,connected\r\n"
    "2026-09-15,eleni@example.com,appointments,2,\r\n"
)
DEAL_TEMPLATE_CSV = (
    ",".join(DEAL_COLUMNS) + "\r\n"
    "2026-09-30,eleni@example.com,12400.00,Aegean Ferries renewal\r\n"
)


@dataclass(frozen=True)
class CheckedFile:
    """What a valid file will write: unsaved rows and the reps they belong to."""

    rows: list
    rep_ids: set[int]


def csv_rows(
    content: str, *, columns: list[str], noun: str
) -> list[tuple[int, dict[str, str] | None]]:
    """The file's rows as (line, values by column); None when the column count is off.

    Refuses the whole file (UnreadableFile) when it is empty, lacks a column or is over
    MAX_HISTORY_ROWS. `noun` names what the rows hold, for the messages.
    """
    header, raw_rows = read_records(content)
    header = [column.strip().lower() for column in header]
    if not any(header):
        raise UnreadableFile(_("The file is empty. Start from the template."))
    missing = [column for column in columns if column not in header]
    if missing:
        raise UnreadableFile(
            _(
                "Line 1: the header must name the columns %(columns)s; missing: %(missing)s."
            )
            % {"columns": ", ".join(columns), "missing": ", ".join(missing)}
        )
    if not raw_rows:
        raise UnreadableFile(
            _("The file has a header but no %(noun)s.") % {"noun": noun}
        )
    if len(raw_rows) > MAX_HISTORY_ROWS:
        raise UnreadableFile(
            _("The file has %(count)d rows; one file may hold up to %(limit)d.")
            % {"count": len(raw_rows), "limit": MAX_HISTORY_ROWS}
        )
    index = {column: header.index(column) for column in columns}
    return [
        (
            line,
            {column: cells[at].strip() for column, at in index.items()}
            if len(cells) == len(header)
            else None,
        )
        for line, cells in raw_rows
    ]


def column_count_problem(*, expected: int) -> str:
    return _("the row does not have the header's %(expected)d columns") % {
        "expected": expected
    }


def people_by_email(rows: Iterable[dict | None]) -> dict[str, User]:
    """The active people the rows name, by lower-case email, in one query."""
    emails = {row["email"].lower() for row in rows if row}
    return {
        user.email.lower(): user
        for user in User.objects.filter(email__in=emails, is_active=True)
    }


def person_problem(email: str, *, people: dict[str, User]) -> tuple[User | None, str]:
    person = people.get(email.lower())
    if person is None:
        return None, _("no active person has the email “%(email)s”") % {"email": email}
    return person, ""


def local_date_problem(
    value: str, *, column: str, rep: User | None, now: dt.datetime
) -> tuple[dt.date | None, str]:
    """A past or today's local date of the rep, or why the value is not one."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None, _("%(column)s “%(value)s” is not a date like 2026-09-14") % {
            "column": column,
            "value": value,
        }
    if day.year < 1970:
        return None, _("%(column)s is before 1970") % {"column": column}
    if rep is not None and day > rep.local_date(now):
        return None, _("%(column)s %(value)s is in the future") % {
            "column": column,
            "value": value,
        }
    return day, ""


def moment_on(day: dt.date, *, rep: User, now: dt.datetime) -> dt.datetime:
    """Noon of the rep's local day (so its local date is that day), never after now."""
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=rep.zone)
    return min(noon, now)


def each_row(
    rows: list, *, on_progress: Callable[[int], None] | None
) -> Iterable[tuple[int, dict | None]]:
    """The rows, calling `on_progress` about a hundred times over the file."""
    every = max(PROGRESS_EVERY_ROWS, len(rows) // 100)
    for position, (line, row) in enumerate(rows, start=1):
        yield line, row
        if on_progress and position % every == 0:
            on_progress(position)


def activities_check(
    content: str,
    *,
    by: User | None,
    now: dt.datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[CheckedFile, list[RowError]]:
    """Check every activity row; the unsaved activities, or the errors by line."""
    now = now or timezone.now()
    rows = csv_rows(content, columns=ACTIVITY_COLUMNS, noun=_("activities"))
    people = people_by_email(row for _line, row in rows)
    metrics = {metric.slug: metric for metric in Metric.objects.all()}
    activities, rep_ids, errors = [], set(), []
    for line, row in each_row(rows, on_progress=on_progress):
        if row is None:
            problems = [column_count_problem(expected=len(ACTIVITY_COLUMNS))]
            errors.append(RowError(line=line, message="; ".join(problems)))
            continue
        rep, problem = person_problem(row["email"], people=people)
        problems = [problem] if problem else []
        day, problem = local_date_problem(row["date"], column="date", rep=rep, now=now)
        problems += [problem] if problem else []
        metric = metrics.get(row["metric"])
        if metric is None or metric.kind != MetricKind.ACTIVITY or not metric.is_active:
            problems.append(
                _("“%(metric)s” is not an activity metric that can be logged")
                % {"metric": row["metric"]}
            )
        else:
            problems += outcome_errors(metric=metric, outcome=row["outcome"])
        quantity = int(row["quantity"]) if row["quantity"].isdigit() else None
        if quantity is None or quantity_errors(quantity):
            problems.append(
                _("quantity “%(value)s” is not a whole number from 1 to %(max)d")
                % {"value": row["quantity"], "max": MAX_QUANTITY}
            )
        if problems:
            errors.append(RowError(line=line, message="; ".join(problems)))
            continue
        activities.append(
            Activity(
                rep=rep,
                metric=metric,
                quantity=quantity,
                occurred_at=moment_on(day, rep=rep, now=now),
                local_date=day,
                outcome=row["outcome"],
                source=Source.IMPORT,
                created_by=by,
            )
        )
        rep_ids.add(rep.pk)
    return CheckedFile(rows=activities, rep_ids=rep_ids), errors


def deals_check(
    content: str,
    *,
    by: User | None,
    now: dt.datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[CheckedFile, list[RowError]]:
    """Check every deal row; the unsaved deals, or the errors by line."""
    now = now or timezone.now()
    rows = csv_rows(content, columns=DEAL_COLUMNS, noun=_("deals"))
    people = people_by_email(row for _line, row in rows)
    deals, rep_ids, errors = [], set(), []
    for line, row in each_row(rows, on_progress=on_progress):
        if row is None:
            problems = [column_count_problem(expected=len(DEAL_COLUMNS))]
            errors.append(RowError(line=line, message="; ".join(problems)))
            continue
        rep, problem = person_problem(row["email"], people=people)
        problems = [problem] if problem else []
        day, problem = local_date_problem(
            row["closed_date"], column="closed_date", rep=rep, now=now
        )
        problems += [problem] if problem else []
        problems += deal_amount_errors(row["amount"])
        if not row["title"]:
            problems.append(_("title is empty"))
        elif len(row["title"]) > MAX_TITLE_LENGTH:
            problems.append(
                _("title is longer than %(max)d characters") % {"max": MAX_TITLE_LENGTH}
            )
        if problems:
            errors.append(RowError(line=line, message="; ".join(problems)))
            continue
        deals.append(
            Deal(
                rep=rep,
                title=row["title"],
                amount=Decimal(row["amount"]),
                closed_at=moment_on(day, rep=rep, now=now),
                local_date=day,
                source=Source.IMPORT,
                created_by=by,
            )
        )
        rep_ids.add(rep.pk)
    return CheckedFile(rows=deals, rep_ids=rep_ids), errors


def history_entries_write(*, checked: CheckedFile, by: User | None) -> int:
    """Insert the checked activities or deals, then rebuild their reps' day tallies.

    Call inside the import's transaction. The rebuild recounts the reps' whole history,
    so the imported days and any they share with entries logged in the app add up.
    """
    if not checked.rows:
        return 0
    model = type(checked.rows[0])
    bulk_create_with_history(
        checked.rows, model, batch_size=BULK_BATCH_SIZE, default_user=by
    )
    tallies_rebuild(rep_ids=sorted(checked.rep_ids))
    return len(checked.rows)
