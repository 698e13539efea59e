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


def test_a_large_csv_import_runs_on_a_real_worker_with_progress(
    real_broker, client, monkeypatch
):
    import io

    from accounts.models import ImportJob
    from accounts.people_import import COLUMNS
    from tests import factories

    admin = factories.AdminFactory()
    team = factories.TeamFactory(name="Aegean")
    rows = [",".join(COLUMNS)] + [
        f"rep{n}@example.com,F{n},L{n},{team.name},Europe/Athens,2026-12-01,rep"
        for n in range(300)
    ]
    upload = io.BytesIO("\n".join(rows).encode())
    upload.name = "big.csv"
    client.force_login(admin)

    with celery_worker(real_broker) as (process, queue):
        monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)
        response = client.post("/accounts/people/import/", {"file": upload})
        job = ImportJob.objects.get()
        assert response.url == f"/accounts/people/import/{job.pk}/"
        first = client.get(response.url, headers={"HX-Request": "true"})
        assert b'hx-trigger="every 1s"' in first.content  # the page polls while it runs
        try:
            wait_for(
                lambda: ImportJob.objects.filter(pk=job.pk, status="done").exists(),
                timeout=60,
            )
        except AssertionError:
            pytest.fail("The import did not finish on the worker:\n" + stop(process))

    done = client.get(response.url, headers={"HX-Request": "true"})
    assert b'data-status="done"' in done.content
    assert team.members.count() == 300
