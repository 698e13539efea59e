"""A real Celery worker on Redis writes to PostgreSQL (CI runs these; locally they skip)."""

import pytest

from salesteam.celery import app as celery_app
from salesteam.models import WorkerHeartbeat
from salesteam.tasks import worker_heartbeat
from tests.services import celery_worker, stop, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_broker(require_postgres, require_redis, monkeypatch):
    """Send tasks to Redis instead of running them inline."""
    assert celery_app.conf.broker_url.startswith("redis://"), "settings read REDIS_URL"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    yield require_redis
    celery_app.pool.force_close_all()


def test_a_real_worker_runs_a_task_that_writes_to_postgres(real_broker):
    with celery_worker(real_broker) as (process, queue):
        worker_heartbeat.apply_async(args=["ci-worker"], queue=queue)
        try:
            beat = wait_for(
                lambda: WorkerHeartbeat.objects.filter(hostname="ci-worker").first()
            )
        except AssertionError:
            pytest.fail("The worker never wrote its row:\n" + stop(process))
    assert beat.seen_at is not None
