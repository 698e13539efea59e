"""Concurrent writes on PostgreSQL: tallies count every write, a key writes once.

SQLite serialises writers (IMMEDIATE transactions), so these races only exist on
PostgreSQL; the tests skip without it (and fail under REQUIRE_SERVICES=1).
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from activities.idempotency import idempotent
from activities.models import Activity, DayTally, IdempotentRequest
from activities.services import activity_log
from activities.tallies import tallies_verify, tally_add
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def run_together(work) -> list[BaseException]:
    """Start THREADS threads at the same moment; each closes its own connection."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait()
            work()
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_a_days_first_writes_racing_each_other_all_count(require_postgres):
    # Given a rep with nothing logged today
    rep = factories.RepFactory()
    calls = factories.metric("calls")
    # When eight requests log three calls each at the same moment
    errors = run_together(
        lambda: [activity_log(rep=rep, metric=calls, by=rep) for _ in range(3)]
    )
    # Then all 24 are in the one tally row
    assert errors == []
    assert DayTally.objects.get(rep=rep, metric=calls).quantity == THREADS * 3
    assert tallies_verify() == []


def test_retries_racing_with_one_idempotency_key_write_once(require_postgres):
    rep = factories.RepFactory()
    calls = factories.metric("calls")

    def write():
        activity = activity_log(rep=rep, metric=calls, by=rep)
        return 201, {"id": activity.pk}

    results = []
    errors = run_together(
        lambda: results.append(
            idempotent(user=rep, key="same", path="/api/v1/activities/", write=write)
        )
    )
    assert errors == []
    assert Activity.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1
    assert len({str(body) for _status, body, _replayed in results}) == 1
    assert DayTally.objects.get(rep=rep, metric=calls).quantity == 1


def test_racing_additions_and_subtractions_on_one_tally_all_count(require_postgres):
    # Given a rep and a day with no tally row yet
    rep = factories.RepFactory()
    calls = factories.metric("calls")
    day = timezone.localdate()
    counter = iter(range(THREADS))

    def work():
        # Half the threads add 2 (and €10) three times, half take 1 (and €5) off
        sign = 1 if next(counter) % 2 else -1
        for _ in range(3):
            with transaction.atomic():
                tally_add(
                    rep_id=rep.pk,
                    metric_id=calls.pk,
                    local_date=day,
                    quantity=2 if sign > 0 else -1,
                    amount=Decimal(10) if sign > 0 else Decimal(-5),
                )

    # When they all upsert the one row at the same moment
    errors = run_together(work)
    # Then there is one row and it holds every change (4 × 3 × (2 - 1), € 4 × 3 × 5)
    assert errors == []
    row = DayTally.objects.get(rep=rep, metric=calls, local_date=day)
    assert (row.quantity, row.amount) == (12, Decimal("60.00"))
