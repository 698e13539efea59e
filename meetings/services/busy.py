"""Busy times from a person's own calendar: the one write (`external_busy_set`)."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from accounts.models import User
from meetings.external_busy import ExternalBusy

BusyRow = tuple[str, dt.datetime, dt.datetime]  # (source_ref, starts_at, ends_at)


@transaction.atomic
def external_busy_set(
    *,
    person: User,
    rows: Iterable[BusyRow],
    replace_refs: Iterable[str] = (),
    replace_all: bool = False,
) -> int:
    """Replace the person's busy times of these sources (or all of them) with `rows`.

    A calendar sync hands over what it read: with `replace_all` (a full read) every
    earlier row goes, otherwise only those of `replace_refs` (objects changed or
    deleted since the last sync). Rows without a length are dropped. Returns how many
    rows the person has from these sources now. Two statements, one transaction.
    """
    rows = [row for row in rows if row[2] > row[1]]
    stale = ExternalBusy.objects.filter(person=person)
    if not replace_all:
        stale = stale.filter(source_ref__in=set(replace_refs) | {r[0] for r in rows})
    stale.delete()
    ExternalBusy.objects.bulk_create(
        ExternalBusy(person=person, source_ref=ref, starts_at=start, ends_at=end)
        for ref, start, end in rows
    )
    return len(rows)


def external_busy_clear(*, person: User) -> None:
    """The person disconnected their calendar: forget what it said."""
    ExternalBusy.objects.filter(person=person).delete()
