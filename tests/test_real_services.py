"""A real Celery worker on Redis writes to PostgreSQL (CI runs these; locally they skip)."""

import os

import pytest

from salesteam.celery import app as celery_app
from salesteam.models import WorkerHeartbeat
from salesteam.tasks import worker_heartbeat
from tests.services import celery_worker, stop, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def fresh_broker_connections() -> None:
    """Forget pooled broker connections, so the next send uses the current broker_url."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def real_broker(require_postgres, require_redis, monkeypatch):
    """Send tasks to Redis instead of running them inline."""
    assert celery_app.conf.broker_url.startswith("redis://"), "settings read REDIS_URL"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    yield require_redis


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

    with celery_worker(real_broker, default_queue_too=True) as (process, _queue):
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


@pytest.mark.django_db(transaction=True)
def test_logging_an_activity_succeeds_quickly_with_the_broker_unreachable(
    monkeypatch, require_postgres
):
    """The web never waits on Redis: the 201 and the row, the queued check only logged."""
    import time

    from activities.models import Activity
    from tests import factories
    from tests.helpers import api_client_for

    factories.standard_template()
    rep = factories.RepFactory()
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    fresh_broker_connections()
    try:
        started = time.perf_counter()
        response = api_client_for(rep).post(
            "/api/v1/activities/", {"metric": "calls", "quantity": 1}, format="json"
        )
        elapsed = time.perf_counter() - started
    finally:
        monkeypatch.undo()
        fresh_broker_connections()
    assert response.status_code == 201
    assert Activity.objects.filter(rep=rep).count() == 1
    assert elapsed < 5, f"logging took {elapsed:.1f}s with the broker down"


def review_rows() -> dict:
    """What a review leaves behind, without ids or timestamps."""
    from coaching.models import ImprovementPlan
    from targets.models import Flag, Kudos, MonthResult, ReviewState

    return {
        "flags": sorted(Flag.objects.values_list("rep_id", "kind", "period_start")),
        "plans": sorted(
            ImprovementPlan.objects.values_list("rep_id", "flag__period_start")
        ),
        "plans_with_meeting": ImprovementPlan.objects.filter(
            meeting__isnull=False
        ).count(),
        "results": sorted(
            MonthResult.objects.values_list("rep_id", "month_start", "met")
        ),
        "kudos": sorted(Kudos.objects.values_list("rep_id", "period_start")),
        "reviewed": ReviewState.objects.count(),
    }


def below_quota_teams(*, teams: int, reps: int) -> list[int]:
    """Teams of Athens reps with a 10,000 monthly revenue quota and no sales."""
    import datetime as dt

    from targets.services import target_set
    from tests import factories

    factories.standard_template()
    rep_ids = []
    for _team in range(teams):
        team = factories.TeamFactory(
            manager=factories.ManagerFactory(timezone="Europe/Athens")
        )
        for _rep in range(reps):
            rep = factories.RepFactory(team=team, timezone="Europe/Athens")
            target_set(
                rep=rep,
                metric=factories.metric("revenue"),
                period="month",
                amount=10000,
                effective_from=dt.date(2026, 1, 1),
                by=team.manager,
                now=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC),
            )
            rep_ids.append(rep.pk)
    return rep_ids


def test_killing_the_worker_mid_review_and_running_again_leaves_a_clean_run(
    real_broker,
):
    import datetime as dt
    import signal

    from coaching.models import ImprovementPlan
    from coaching.review import chunks, review_run
    from coaching.tasks import review_chunk
    from meetings.models import Meeting
    from targets.models import Flag, Kudos, MonthResult, ReviewState

    at = dt.datetime(2026, 11, 2, 8, tzinfo=dt.UTC)  # Monday 10:00 in Athens
    reps = below_quota_teams(teams=4, reps=15)
    rep_chunks = chunks(sorted(reps), 2)

    def send_all(queue):
        for rep_ids in rep_chunks:
            review_chunk.apply_async(args=[rep_ids, at.isoformat()], queue=queue)

    # A worker starts the review and is killed (SIGKILL) half-way.
    with celery_worker(real_broker, default_queue_too=True) as (process, queue):
        send_all(queue)
        wait_for(lambda: ReviewState.objects.count() >= 10, timeout=60)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    partial = ReviewState.objects.count()
    assert 0 < partial < len(reps), "the kill should land mid-review"

    # A new worker runs the whole review again.
    with celery_worker(real_broker, default_queue_too=True) as (process, queue):
        send_all(queue)
        try:
            wait_for(
                lambda: (
                    ReviewState.objects.count() == len(reps)
                    and ImprovementPlan.objects.filter(meeting__isnull=True).count()
                    == 0
                    and ImprovementPlan.objects.count() == len(reps)
                ),
                timeout=120,
            )
        except AssertionError:
            pytest.fail("The second run did not finish:\n" + stop(process))
    after_crash = review_rows()

    # The same as one clean run from scratch.
    for model in (Meeting, ImprovementPlan, Kudos, Flag, MonthResult, ReviewState):
        model.objects.all().delete()
    review_run(now=at)
    assert review_rows() == after_crash
    assert after_crash["plans_with_meeting"] == len(reps)


def test_run_review_in_two_processes_leaves_what_one_process_does(require_postgres):
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command

    from coaching.models import ImprovementPlan
    from meetings.models import Meeting
    from targets.models import Flag, Kudos, MonthResult, ReviewState

    reps = below_quota_teams(teams=3, reps=5)
    at = "2026-11-02T08:00:00+00:00"  # Monday 10:00 in Athens

    def run(processes: int) -> str:
        out = StringIO()
        call_command(
            "run_review", "--at", at, "--chunk-size", "4",
            "--processes", str(processes), stdout=out,
        )  # fmt: skip
        return out.getvalue()

    # Chunks of four split every team of five: two processes book for one manager.
    assert "15 one-on-ones booked" in run(2)
    parallel = review_rows()
    assert parallel["plans_with_meeting"] == len(reps)
    for manager_id in Meeting.objects.values_list("organiser_id", flat=True):
        times = sorted(
            (m.starts_at, m.ends_at)
            for m in Meeting.objects.filter(organiser_id=manager_id)
        )
        assert all(
            end <= start
            for (_s, end), (start, _e) in zip(times, times[1:], strict=False)
        ), "a manager was double-booked"
    assert "Reviewed 0 reps" in run(2)

    for model in (Meeting, ImprovementPlan, Kudos, Flag, MonthResult, ReviewState):
        model.objects.all().delete()
    run(1)
    assert review_rows() == parallel
    assert dt.date(2026, 10, 1) in {start for _rep, _kind, start in parallel["flags"]}
