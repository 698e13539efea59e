"""Bringing a team's history from spreadsheets: past activities, deals and targets.

Each import is an `ImportJob`, as the people import is, with its guarantees: errors by
line, nothing written until the whole file is valid, a progress bar while a worker
checks a large file, and all-or-nothing writes. Which history a job holds is told by its
file's header (each kind has its own columns). Uploading the same file again is a no-op:
the job of the first upload is returned, and an import that finds the same content
already imported (a concurrent upload) writes nothing.

Targets: email, metric, period, amount, effective_from, effective_until (blank: still in
force). A past target is history, not a change, so it is written as it was agreed; it
may not overlap another target of the rep's for the same metric.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import DataError, IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import ImportJob, User
from accounts.people_import import (
    RowError,
    UnreadableFile,
    count_rows,
    finish,
    read_records,
)
from activities import history_import as entries
from activities.models import Metric
from activities.periods import PERIODS
from core.queueing import enqueue_on_commit
from targets.models import Target
from targets.services import MAX_TARGET_AMOUNT, count_amount_errors

logger = logging.getLogger(__name__)

TARGET_COLUMNS = [
    "email",
    "metric",
    "period",
    "amount",
    "effective_from",
    "effective_until",
]
TARGET_TEMPLATE_CSV = (
    ",".join(TARGET_COLUMNS) + "\r\n"
    "eleni@example.com,calls,day,25,2026-06-01,2026-11-30\r\n"
    "eleni@example.com,revenue,month,20000,2026-06-01,2026-11-30\r\n"
)
# Larger files are checked by a worker while the page shows a progress bar.
SYNC_IMPORT_MAX_ROWS = 2000


@dataclass(frozen=True)
class HistoryKind:
    slug: str
    label: str
    columns: list[str]
    template_csv: str
    check: Callable


def targets_check(
    content: str,
    *,
    by: User | None,
    now: dt.datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[entries.CheckedFile, list[RowError]]:
    """Check every target row; the unsaved targets, or the errors by line."""
    now = now or timezone.now()
    rows = entries.csv_rows(content, columns=TARGET_COLUMNS, noun=_("targets"))
    people = entries.people_by_email(row for _line, row in rows)
    metrics = {metric.slug: metric for metric in Metric.objects.filter(is_active=True)}
    existing = existing_ranges(rep_ids=[person.pk for person in people.values()])
    targets, rep_ids, errors, taken = [], set(), [], {}
    for line, row in entries.each_row(rows, on_progress=on_progress):
        if row is None:
            message = entries.column_count_problem(expected=len(TARGET_COLUMNS))
            errors.append(RowError(line=line, message=message))
            continue
        rep, problem = entries.person_problem(row["email"], people=people)
        problems = [problem] if problem else []
        metric = metrics.get(row["metric"])
        if metric is None:
            problems.append(
                _("unknown metric “%(metric)s”") % {"metric": row["metric"]}
            )
        if row["period"] not in PERIODS:
            problems.append(
                _("period “%(value)s” is not day, week or month")
                % {"value": row["period"]}
            )
        amount = amount_or_none(row["amount"])
        if amount is None:
            problems.append(
                _("amount “%(value)s” is not a number above zero")
                % {"value": row["amount"]}
            )
        elif metric is not None:
            problems += count_amount_errors(metric, amount)
        start, problem = entries.local_date_problem(
            row["effective_from"], column="effective_from", rep=rep, now=now
        )
        problems += [problem] if problem else []
        until = None
        if row["effective_until"]:
            until, problem = entries.local_date_problem(
                row["effective_until"], column="effective_until", rep=None, now=now
            )
            problems += [problem] if problem else []
            if start and until and until < start:
                problems.append(_("effective_until is before effective_from"))
        if not problems:
            key = (rep.pk, metric.pk)
            overlap = overlapping(start, until, ranges=existing.get(key, []))
            if overlap is not None:
                problems.append(overlap_problem(overlap))
            overlap = overlapping(start, until, ranges=taken.get(key, []))
            if overlap is not None and not problems:
                problems.append(
                    _("overlaps the target on line %(line)d") % {"line": overlap[2]}
                )
        if problems:
            errors.append(RowError(line=line, message="; ".join(problems)))
            continue
        taken.setdefault((rep.pk, metric.pk), []).append((start, until, line))
        targets.append(
            Target(
                rep=rep,
                metric=metric,
                period=row["period"],
                amount=amount,
                effective_from=start,
                effective_until=until,
                set_by=by,
                agreed_at=now,
                note=_("Imported history"),
            )
        )
        rep_ids.add(rep.pk)
    return entries.CheckedFile(rows=targets, rep_ids=rep_ids), errors


def amount_or_none(value: str) -> Decimal | None:
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount <= 0 or amount > MAX_TARGET_AMOUNT:
        return None
    return amount.quantize(Decimal("0.01"))


def existing_ranges(*, rep_ids: list[int]) -> dict[tuple[int, int], list[tuple]]:
    """The reps' targets in force on some day, by (rep, metric), in one query.

    A superseded target (replaced on its first day) ends before it begins: in force on
    no day, it overlaps nothing.
    """
    ranges = {}
    in_force = Target.objects.filter(rep_id__in=rep_ids).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=F("effective_from"))
    )
    for rep_id, metric_id, start, until in in_force.values_list(
        "rep_id", "metric_id", "effective_from", "effective_until"
    ):
        ranges.setdefault((rep_id, metric_id), []).append((start, until, None))
    return ranges


def overlapping(start: dt.date, until: dt.date | None, *, ranges: list[tuple]):
    """The first (start, until, line) range sharing a day with start..until, or None."""
    for other_start, other_until, line in ranges:
        if (until is None or other_start <= until) and (
            other_until is None or start <= other_until
        ):
            return other_start, other_until, line
    return None


def overlap_problem(overlap: tuple) -> str:
    start, until, _line = overlap
    if until is None:
        return _(
            "overlaps the rep's target in force since %(start)s; end the imported one "
            "before it"
        ) % {"start": start.isoformat()}
    return _("overlaps the rep's target in force from %(start)s to %(until)s") % {
        "start": start.isoformat(),
        "until": until.isoformat(),
    }


def targets_write(*, checked: entries.CheckedFile, by: User | None) -> int:
    Target.objects.bulk_create(checked.rows, batch_size=entries.BULK_BATCH_SIZE)
    return len(checked.rows)


KINDS = {
    "activities": HistoryKind(
        slug="activities",
        label=gettext_lazy("Past activities"),
        columns=entries.ACTIVITY_COLUMNS,
        template_csv=entries.ACTIVITY_TEMPLATE_CSV,
        check=entries.activities_check,
    ),
    "deals": HistoryKind(
        slug="deals",
        label=gettext_lazy("Past deals"),
        columns=entries.DEAL_COLUMNS,
        template_csv=entries.DEAL_TEMPLATE_CSV,
        check=entries.deals_check,
    ),
    "targets": HistoryKind(
        slug="targets",
        label=gettext_lazy("Past targets"),
        columns=TARGET_COLUMNS,
        template_csv=TARGET_TEMPLATE_CSV,
        check=targets_check,
    ),
}


def history_kind_of(content: str) -> HistoryKind | None:
    """The kind whose columns the file's header names (None: not a history file)."""
    try:
        header, _rows = read_records(content.split("\n", 1)[0])
    except UnreadableFile:
        return None
    named = {column.strip().lower() for column in header}
    for kind in KINDS.values():
        if set(kind.columns) <= named:
            return kind
    return None


def history_job_same_file(*, content: str) -> ImportJob | None:
    """The earliest job of this very file that is imported or still running."""
    return (
        ImportJob.objects.filter(content=content)
        .exclude(status=ImportJob.Status.FAILED)
        .defer("content")
        .order_by("pk")
        .first()
    )


def history_import_start(
    *, by: User, kind: str, filename: str, content: str
) -> tuple[ImportJob, bool]:
    """Start importing a history file; (the job, whether it is new).

    The same file uploaded again returns the job of its first upload. A small file is
    imported now; a large one is queued for a worker (after commit).
    """
    expected = KINDS[kind]
    if history_kind_of(content) != expected:
        raise UnreadableFile(
            _("Line 1: the header must name the columns %(columns)s.")
            % {"columns": ", ".join(expected.columns)}
        )
    earlier = history_job_same_file(content=content)
    if earlier is not None:
        return earlier, False
    job = ImportJob.objects.create(
        created_by=by,
        filename=filename[:255],
        content=content,
        total_rows=count_rows(content),
    )
    if job.total_rows <= SYNC_IMPORT_MAX_ROWS:
        return history_import_run(job=job), True
    from targets.tasks import history_import_run_task

    enqueue_on_commit(history_import_run_task, job.pk)
    return job, True


def history_import_run(*, job: ImportJob, now: dt.datetime | None = None) -> ImportJob:
    """Check every row (reporting progress), then write all of them or none."""
    if job.finished:
        return job  # a redelivered task: the job already ran
    job = ImportJob.objects.get(pk=job.pk)
    kind = history_kind_of(job.content)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING)

    def report(rows_done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=rows_done)

    checked, errors = None, []
    try:
        if kind is None:
            raise UnreadableFile(_("Line 1: the header names no kind of history."))
        checked, errors = kind.check(
            job.content, by=job.created_by, now=now, on_progress=report
        )
    except UnreadableFile as error:
        errors = [RowError(line=1, message=str(error))]
    if errors:
        return finish(job, status=ImportJob.Status.FAILED, errors=errors)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, processed_rows=job.total_rows
    )
    try:
        with transaction.atomic():
            # Jobs of the same file queue behind its first one, so two uploads at once
            # cannot both import it.
            first = (
                ImportJob.objects.select_for_update()
                .filter(content=job.content)
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status == ImportJob.Status.DONE:
                return locked
            done_before = ImportJob.objects.filter(
                content=job.content, status=ImportJob.Status.DONE
            ).exclude(pk=job.pk)
            if first != job.pk and done_before.exists():  # a concurrent upload won
                return finish(locked, status=ImportJob.Status.DONE, imported=0)
            if kind.slug == "targets":
                written = targets_write(checked=checked, by=job.created_by)
            else:
                written = entries.history_entries_write(
                    checked=checked, by=job.created_by
                )
            return finish(locked, status=ImportJob.Status.DONE, imported=written)
    except (IntegrityError, DataError):
        logger.warning(
            "History import %s failed on a database constraint", job.pk, exc_info=True
        )
        error = RowError(
            line=1,
            message=_(
                "Nothing was imported: the history changed while the file was checked "
                "(for example a target was set). Upload the file again."
            ),
        )
        return finish(job, status=ImportJob.Status.FAILED, errors=[error])


def history_job_get(*, pk: int) -> tuple[ImportJob, HistoryKind] | None:
    """A history import and its kind, without reading its whole file (None: no such
    history import; a people import is not one)."""
    job = (
        ImportJob.objects.defer("content")
        .annotate(head=Substr("content", 1, 200))
        .filter(pk=pk)
        .first()
    )
    kind = history_kind_of(job.head) if job else None
    return (job, kind) if kind else None


def history_jobs_recent(*, limit: int = 10) -> list[ImportJob]:
    """The latest history imports (people imports left out), without their files."""
    jobs = (
        ImportJob.objects.select_related("created_by")
        .order_by("-created_at")
        .only("pk", "filename", "status", "created_at", "imported_count", "created_by")
    )[: limit * 5]
    # The kind is in the file's header: read only the start of each job's file.
    heads = dict(
        ImportJob.objects.filter(pk__in=[job.pk for job in jobs])
        .annotate(head=Substr("content", 1, 200))
        .values_list("pk", "head")
    )
    found = []
    for job in jobs:
        kind = history_kind_of(heads.get(job.pk, ""))
        if kind is not None:
            job.kind_label = kind.label
            found.append(job)
    return found[:limit]
