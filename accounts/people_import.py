"""Bulk import of people from CSV: every row is checked before anything is written.

Columns: email, first_name, last_name, team, timezone, start_date, role (optional:
template, phone). The header is required; UTF-8 with or without a byte-order mark. Line
numbers count the header as line 1, as a spreadsheet does. Each row gets the model's own
validators, as a form does, and names its team exactly as the team is spelled.
"""

import csv
import datetime as dt
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ImportJob, Role, Team, User
from accounts.onboarding import template_names
from accounts.phones import phone_problems, phones_taken
from accounts.services import local_today, people_create_in_bulk
from accounts.timezones import available_timezones

logger = logging.getLogger(__name__)

COLUMNS = ["email", "first_name", "last_name", "team", "timezone", "start_date", "role"]
# Optional: the rep's target template (blank: the default one) and phone (E.164).
OPTIONAL_COLUMNS = ["template", "phone"]
# Larger files are imported by a worker while the page shows a progress bar.
SYNC_IMPORT_MAX_ROWS = 200
# The most people one file may hold, as the upload form's help text states.
MAX_IMPORT_ROWS = 5000
PROGRESS_EVERY_ROWS = 100

TEMPLATE_CSV = (
    ",".join(COLUMNS + OPTIONAL_COLUMNS) + "\r\n"
    "eleni@example.com,Eleni,Papadopoulou,Aegean,Europe/Athens,2026-12-01,rep,"
    "Standard rep,+30 210 123 4567\r\n"
    "jack@example.com,Jack,Wilson,Pacific,Australia/Sydney,2026-12-01,rep,,\r\n"
)


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class UnreadableFile(Exception):
    """The file as a whole cannot be read (encoding, header)."""


def decode_upload(raw: bytes) -> str:
    """The upload as text, refused whole if it is not UTF-8 or holds a NUL byte.

    No text column may hold NUL (PostgreSQL cannot even store the file), so the first
    line with one is named here; the model's validators refuse it in every other path.
    """
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from error
    if "\x00" in content:
        line = content.count("\n", 0, content.index("\x00")) + 1
        raise UnreadableFile(
            _("Line %(line)d holds a NUL character, which no value may contain.")
            % {"line": line}
        )
    return content


def count_rows(content: str) -> int:
    """Rows for the progress bar; a file csv cannot read counts its lines (it fails)."""
    try:
        return max(sum(1 for _row in csv_reader(content)) - 1, 0)
    except csv.Error:
        return content.count("\n")


def csv_reader(content: str):
    # Strict, so an unclosed quote is an error instead of swallowing the rows after it.
    return csv.reader(io.StringIO(content), strict=True)


def read_records(content: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-empty rows, each with its (last) line number.

    A row csv cannot read (a value over its field limit, an unclosed quote) makes the
    whole file unreadable, named by the line the row starts on.
    """
    reader = csv_reader(content)
    header, rows, starts_on = [], [], 1
    try:
        header = next(reader, [])
        starts_on = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, cells))
            starts_on = reader.line_num + 1
    except csv.Error as error:
        raise UnreadableFile(
            _(
                "Line %(line)d cannot be read: a value is longer than %(limit)d "
                "characters or a quote is not closed."
            )
            % {"line": starts_on, "limit": csv.field_size_limit()}
        ) from error
    return header, rows


def parse_people(
    content: str, *, on_progress: Callable[[int], None] | None = None
) -> tuple[list[dict], list[RowError]]:
    """Check every row; return (people ready to create, errors by line)."""
    header, raw_rows = read_records(content)
    header = [column.strip().lower() for column in header]
    if not header or not any(header):
        raise UnreadableFile(_("The file is empty. Start from the template."))
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise UnreadableFile(
            _(
                "Line 1: the header must name the columns %(columns)s; missing: %(missing)s."
            )
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
    index = {
        column: header.index(column)
        for column in COLUMNS + OPTIONAL_COLUMNS
        if column in header
    }
    templates = set(template_names()) if "template" in index else set()
    phones = phones_taken(raw_rows, index)
    if not raw_rows:
        raise UnreadableFile(_("The file has a header but no people."))
    if len(raw_rows) > MAX_IMPORT_ROWS:
        raise UnreadableFile(
            _("The file has %(count)d people; one file may hold up to %(limit)d.")
            % {"count": len(raw_rows), "limit": MAX_IMPORT_ROWS}
        )

    emails = [
        cells[index["email"]].strip().lower()
        for _line, cells in raw_rows
        if len(cells) > index["email"]
    ]
    taken = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    teams = {team.name: team for team in Team.objects.all()}
    zones = available_timezones()
    roles = {choice.value for choice in Role}

    people, errors, first_line_of = [], [], {}
    for position, (line, cells) in enumerate(raw_rows, start=1):
        problems = []
        if len(cells) != len(header):
            problems.append(
                _("expected %(expected)d columns, found %(found)d")
                % {"expected": len(header), "found": len(cells)}
            )
        else:
            row = {
                column: cells[position].strip() for column, position in index.items()
            }
            person, problems = check_row(
                row, taken=taken, teams=teams, zones=zones, roles=roles
            )
            template = row.get("template", "")
            if template and template not in templates:
                problems.append(
                    _("unknown target template “%(template)s”") % {"template": template}
                )
            elif template:
                person["template"] = template
            problems.extend(phone_problems(row, person, phones=phones, line=line))
            email = row["email"].lower()
            if email and email in first_line_of:
                problems.append(
                    _("duplicate email %(email)s (also on line %(line)d)")
                    % {"email": email, "line": first_line_of[email]}
                )
            first_line_of.setdefault(email, line)
            if not problems:
                people.append(person)
        if problems:
            errors.append(RowError(line=line, message="; ".join(problems)))
        if on_progress and position % PROGRESS_EVERY_ROWS == 0:
            on_progress(position)
    return people, errors


def check_row(row, *, taken, teams, zones, roles) -> tuple[dict, list[str]]:
    problems, reported = [], set()

    def report(column: str, message: str) -> None:
        problems.append(message)
        reported.add(column)

    email = row["email"].lower()
    try:
        validate_email(email)
    except ValidationError:
        report(
            "email", _("“%(email)s” is not an email address") % {"email": row["email"]}
        )
    if email in taken:
        report("email", _("%(email)s already has an account") % {"email": email})
    if len(email) > 254:
        report("email", _("the email address is longer than 254 characters"))
    for column in ("first_name", "last_name"):
        if not row[column]:
            report(column, _("%(column)s is empty") % {"column": column})
        elif len(row[column]) > 150:
            report(
                column,
                _("%(column)s is longer than 150 characters") % {"column": column},
            )
    role = row["role"].lower() or Role.REP
    if role not in roles:
        report(
            "role",
            _("unknown role “%(role)s” (use rep, manager or admin)")
            % {"role": row["role"]},
        )
    team = teams.get(row["team"]) if row["team"] else None
    if row["team"] and team is None:
        report("team", team_not_found(row["team"], teams=teams))
    elif role == Role.REP and team is None:
        report("team", _("a rep needs a team"))
    if row["timezone"] not in zones:
        report(
            "timezone",
            _("unknown time zone “%(zone)s” (use a name such as Europe/Athens)")
            % {"zone": row["timezone"]},
        )
    start_date = None
    if row["start_date"]:
        try:
            start_date = dt.date.fromisoformat(row["start_date"])
        except ValueError:
            report(
                "start_date",
                _("start_date “%(value)s” is not a date like 2026-12-01")
                % {"value": row["start_date"]},
            )
    person = {
        "email": email,
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "team": team,
        "timezone": row["timezone"],
        "start_date": start_date or local_today(row["timezone"]),
        "role": role,
    }
    problems.extend(model_problems(person, skip=reported))
    return person, problems


def team_not_found(name: str, *, teams: dict[str, Team]) -> str:
    """Why a row's team matched none: unknown, or spelled in another case (ambiguous)."""
    spelled_otherwise = [known for known in teams if known.lower() == name.lower()]
    if spelled_otherwise:
        return _(
            "team “%(team)s” is ambiguous: write the team's name exactly, “%(known)s”"
        ) % {"team": name, "known": spelled_otherwise[0]}
    return _("unknown team “%(team)s”") % {"team": name}


def model_problems(person: dict, *, skip: set[str]) -> list[str]:
    """The User model's own field validators, as a form runs them (NUL bytes, lengths,
    date bounds), for fields the row checks above have not already reported.

    The team and uniqueness are checked in bulk above, so they cost no query a row.
    """
    user = User(**person)
    try:
        user.full_clean(
            exclude=["password", "team", *skip],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        return [
            _("%(column)s: %(message)s") % {"column": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def import_job_create(*, by: User, filename: str, content: str) -> ImportJob:
    return ImportJob.objects.create(
        created_by=by,
        filename=filename[:255],
        content=content,
        total_rows=count_rows(content),
    )


def import_job_start(*, by: User, filename: str, content: str) -> ImportJob:
    """Create the job; run it now when small, else queue it for a worker (after commit)."""
    job = import_job_create(by=by, filename=filename, content=content)
    # A file over the row cap fails at once, so the page says so without a worker.
    if job.total_rows <= SYNC_IMPORT_MAX_ROWS or job.total_rows > MAX_IMPORT_ROWS:
        return import_job_run(job=job)
    from accounts.tasks import import_job_run_task
    from core.queueing import enqueue_on_commit

    enqueue_on_commit(import_job_run_task, job.pk)
    return job


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Validate every row (reporting progress), then import all of them or none."""
    if job.finished:
        return job  # a redelivered task: the job already ran
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING)

    def report(rows_done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=rows_done)

    try:
        people, errors = parse_people(job.content, on_progress=report)
    except UnreadableFile as error:
        people, errors = [], [RowError(line=1, message=str(error))]
    if errors:
        return finish(job, status=ImportJob.Status.FAILED, errors=errors)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING, processed_rows=len(people)
    )
    try:
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status == ImportJob.Status.DONE:
                return locked
            created = people_create_in_bulk(rows=people, by=job.created_by)
            return finish(locked, status=ImportJob.Status.DONE, imported=len(created))
    except (IntegrityError, DataError):
        # Someone took one of the emails between the check and the import.
        logger.warning(
            "People import %s failed on a database constraint", job.pk, exc_info=True
        )
        error = RowError(
            line=1,
            message=_(
                "Nothing was imported: the people changed while the file was checked "
                "(for example an email was taken). Upload the file again."
            ),
        )
        return finish(job, status=ImportJob.Status.FAILED, errors=[error])


def finish(job: ImportJob, *, status: str, errors=(), imported: int = 0) -> ImportJob:
    job.status = status
    job.errors = [{"line": error.line, "message": error.message} for error in errors]
    job.imported_count = imported
    job.processed_rows = job.total_rows
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "errors",
            "imported_count",
            "processed_rows",
            "finished_at",
        ]
    )
    return job
