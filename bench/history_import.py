"""Benchmark: importing a 100,000-row activities history on PostgreSQL, with its progress.

Run by hand (it is not a test). See bench/README.md. In short:

    .venv/bin/python bench/history_import.py --database salesteam_import_bench --rows 100000

It (1) recreates the database on 127.0.0.1, migrates it and seeds the demo people
(`seed_demo --days 1`), (2) writes a CSV of ROWS past activities spread over the demo
reps and the last 180 days, (3) starts the import as the admin's upload does for a large
file (`history_import_start`, queued) and runs the queued job in a worker process
(`history_import_run`), while this process polls the job's progress bar as the page
does, (4) prints JSON: the rows, the seconds to check and to write, the progress seen
and the day tallies written.
"""

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time

from dashboard import PSQL, PYTHON, ROOT, database_env, machine, run  # bench/ helpers

# The worker: runs one queued import job, as the Celery task would.
WORKER = """
import sys, django
django.setup()
from accounts.models import ImportJob
from targets.history_import import history_import_run
job = history_import_run(job=ImportJob.objects.get(pk=int(sys.argv[1])))
print(job.status, job.imported_count, job.errors[:3])
"""


def history_csv(*, emails: list[str], rows: int, today: dt.date) -> str:
    rng = random.Random("salesteam-history-bench")
    metrics = ["calls", "calls", "calls", "thank_you_notes", "appointments", "emails"]
    lines = ["date,email,metric,quantity,outcome"]
    for _ in range(rows):
        day = today - dt.timedelta(days=rng.randrange(1, 181))
        metric = rng.choice(metrics)
        outcome = (
            rng.choice(["", "connected", "voicemail"]) if metric == "calls" else ""
        )
        lines.append(
            f"{day.isoformat()},{rng.choice(emails)},{metric},{rng.randrange(1, 6)},"
            f"{outcome}"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="salesteam_import_bench")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--output")
    options = parser.parse_args()
    # A throwaway key for a throwaway database (production settings need one).
    env = {"SECRET_KEY": "bench-history-import"} | database_env(options.database)

    run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {options.database}"], env)
    run([*PSQL, "-c", f"CREATE DATABASE {options.database}"], env)
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([PYTHON, "manage.py", "seed_demo", "--days", "1"], env)

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import targets.history_import
    from accounts.models import ImportJob, Role, User
    from activities.models import Activity, DayTally
    from targets.history_import import history_import_start

    # The job is queued for the worker started below, not for a broker.
    queued_jobs = []
    targets.history_import.enqueue_on_commit = lambda task, job_id: queued_jobs.append(
        job_id
    )

    admin = User.objects.get(email="anna@example.com")
    emails = list(
        User.objects.filter(role=Role.REP, is_active=True).values_list(
            "email", flat=True
        )
    )
    content = history_csv(
        emails=emails, rows=options.rows, today=dt.datetime.now(dt.UTC).date()
    )
    activities_before = Activity.objects.count()

    started = time.monotonic()
    job, _new = history_import_start(
        by=admin, kind="activities", filename="history.csv", content=content
    )
    queued = time.monotonic() - started
    assert queued_jobs == [job.pk], "a file this large is checked by a worker"
    command = [PYTHON, "-c", WORKER, str(job.pk)]
    print("$ worker: history_import_run", job.pk, flush=True)
    worker_started = time.monotonic()
    worker = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    progress, checked_at = [], None
    while worker.poll() is None:
        state = ImportJob.objects.values("status", "processed_rows", "total_rows").get(
            pk=job.pk
        )
        percent = int(100 * state["processed_rows"] / max(state["total_rows"], 1))
        seconds = round(time.monotonic() - worker_started, 1)
        if not progress or progress[-1][1:] != [state["status"], percent]:
            progress.append([seconds, state["status"], percent])
            print(
                f"  {seconds:6.1f} s  {state['status']:<10} {percent:3d} %", flush=True
            )
        if checked_at is None and state["status"] == ImportJob.Status.IMPORTING:
            checked_at = seconds
        time.sleep(0.2)
    total = time.monotonic() - worker_started
    worker_output = worker.stdout.read().strip()
    if worker.returncode:
        raise SystemExit(f"the worker failed: {worker_output}")
    job.refresh_from_db()
    result = {
        "machine": machine(),
        "rows": options.rows,
        "file_megabytes": round(len(content.encode()) / 1e6, 1),
        "upload_to_queued_seconds": round(queued, 2),
        "worker_seconds": round(total, 1),
        "checking_seconds": checked_at,
        "writing_seconds": round(total - (checked_at or 0), 1),
        "status": job.status,
        "imported": job.imported_count,
        "activities_written": Activity.objects.count() - activities_before,
        "day_tallies": DayTally.objects.count(),
        "progress_seen": progress,
        "worker_output": worker_output,
    }
    print(json.dumps(result, indent=2))
    if options.output:
        with open(options.output, "w") as output:
            json.dump(result, output, indent=2)


if __name__ == "__main__":
    main()
