"""Benchmark: `manage.py run_review` for many reps on PostgreSQL.

Run by hand (it is not a test). See bench/README.md. In short:

    .venv/bin/python bench/review.py --database salesteam_bench_review --reps 10000 --days 60

It (1) recreates the database on 127.0.0.1, migrates and seeds it with `seed_demo --reps N
--days D` (--reuse: a seeded database not yet reviewed), (2) counts in-process, in a
rolled-back transaction, the queries of `review_and_follow_up` for a chunk of 500 reps and
one of 100, of the emails they queue and of the first chunk's one-on-one bookings,
(3) times `run_review --at AT` as a subprocess twice (the second has nothing due),
(4) prints JSON. Celery runs eagerly, emails go to locmem. Nothing here talks to
anything but 127.0.0.1.
"""

import argparse
import datetime as dt
import json
import logging
import os
import pstats
import re
import subprocess
import sys
import time
from pathlib import Path

from dashboard import PSQL, PYTHON, ROOT, database_env, machine, run  # bench/ helpers


def default_instant() -> str:
    """The 2nd of the current month, 12:00 UTC: last month has closed in every zone."""
    today = dt.datetime.now(dt.UTC).date()
    return f"{today.replace(day=2).isoformat()}T12:00:00+00:00"


# `manage.py run_review --at AT`, with every SQL statement counted (a cheap wrapper).
COUNTED_RUN = """
import sys, django
django.setup()
from django.core.management import call_command
from django.db import connection
count = 0
def counter(execute, sql, params, many, context):
    global count
    count += 1
    return execute(sql, params, many, context)
with connection.execute_wrapper(counter):
    call_command("run_review", "--at", sys.argv[1], "--processes", sys.argv[2])
print(f"queries: {count}")
"""


def timed_review(env: dict, at: str, processes: int) -> dict:
    """One `run_review` in its own process, timed from start to exit."""
    command = [PYTHON, "-c", COUNTED_RUN, at, str(processes)]
    print(f"$ manage.py run_review --at {at} --processes {processes}", flush=True)
    started = time.monotonic()
    done = subprocess.run(
        command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    output, queries = done.stdout.strip().rsplit("\n", 1)
    return {
        "seconds": round(seconds, 1),
        "queries": int(queries.split()[-1]),
        "output": output,
    }


def counted(function, **kwargs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function(**kwargs)
        seconds = time.perf_counter() - started
    return result, {"queries": len(queries), "seconds": round(seconds, 2)}


def pending_on_commit(run_them: bool) -> dict:
    """Run (or drop) the work queued on commit: eager email tasks, invitations."""
    from django.db import connection

    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    if not run_them:
        return {}
    cost = counted(lambda: [func() for _ids, func, _robust in pending])[1]
    return cost | {"callbacks": len(pending)}


def chunk_queries(now: dt.datetime) -> dict:
    """One chunk of 500 and one of 100, their emails and bookings; all rolled back."""
    from django.db import transaction

    from coaching.review import review_and_follow_up
    from coaching.services.booking import plans_book_one_on_ones
    from targets.review import reps_to_review

    ids = reps_to_review()
    counts: dict = {}
    with transaction.atomic():
        summary, cost = counted(review_and_follow_up, rep_ids=ids[:500], now=now)
        counts["chunk_500"] = cost | {"flags": summary.flags, "kudos": summary.kudos}
        counts["chunk_500"]["plans_to_book"] = len(summary.plans_to_book)
        counts["chunk_500_emails_on_commit"] = pending_on_commit(True)
        other, cost = counted(review_and_follow_up, rep_ids=ids[500:600], now=now)
        counts["chunk_100"] = cost | {"flags": other.flags}
        pending_on_commit(False)
        meetings, cost = counted(
            plans_book_one_on_ones, plan_ids=summary.plans_to_book, now=now
        )
        counts["booking_chunk_500"] = cost | {
            "plans": len(summary.plans_to_book),
            "booked": len(meetings),
        }
        counts["booking_invitations_on_commit"] = pending_on_commit(True)
        transaction.set_rollback(True)
    return counts


def profiled_review(env: dict, copy: str, at: str) -> None:
    """cProfile a first run on `copy`, a copy of the database made before the runs."""
    profile = Path(f"/tmp/{copy}.prof")
    copy_env = database_env(copy) | {"EMAIL_BACKEND": env["EMAIL_BACKEND"]}
    command = [PYTHON, "-m", "cProfile", "-o", str(profile), "manage.py"]
    run([*command, "run_review", "--at", at], copy_env, timeout=3600)
    run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {copy}"], env)
    stats = pstats.Stats(str(profile)).sort_stats("cumulative")
    stats.print_stats(re.escape(str(ROOT)) + r"/(?!\.venv)", 30)
    stats.sort_stats("tottime").print_stats(20)


def emails_pending() -> int:
    """Notification emails and one-on-one invitations not sent yet."""
    from accounts.models import Notification
    from coaching.models import ImprovementPlan

    return (
        Notification.objects.filter(
            emailed_at=None, user__email_notifications=True, user__is_active=True
        ).count()
        + ImprovementPlan.objects.filter(
            meeting__isnull=False, invitation_sent_at=None
        ).count()
    )


def drained_by_a_worker(env: dict, broker: str, concurrency: int) -> dict:
    """Start a Celery worker on the broker and time it until every email has gone."""
    import redis

    queued = redis.Redis.from_url(broker).llen("celery")
    command = [
        PYTHON,
        "-m",
        "celery",
        "-A",
        "salesteam",
        "worker",
        "--loglevel=WARNING",
    ]
    command += [f"--concurrency={concurrency}", "--without-gossip", "--without-mingle"]
    print("$", " ".join(command[1:]), flush=True)
    started = time.monotonic()
    worker = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        while emails_pending() or redis.Redis.from_url(broker).llen("celery"):
            if time.monotonic() - started > 1800:
                raise SystemExit("The worker did not drain the queue in 30 minutes.")
            time.sleep(0.2)
        seconds = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return {"tasks_queued": queued, "seconds": round(seconds, 1)}


def sizes() -> dict:
    from accounts.models import Role, User
    from activities.models import Activity, DayTally
    from coaching.models import ImprovementPlan
    from meetings.models import Meeting, MeetingKind
    from targets.models import Flag, Kudos

    kinds = ("below_quota", "activity_dip", "at_risk")
    flags = {kind: Flag.objects.filter(kind=kind).count() for kind in kinds}
    return {
        "reps": User.objects.filter(role=Role.REP, is_active=True).count(),
        "activities": Activity.objects.count(),
        "day_tallies": DayTally.objects.count(),
        "flags": flags,
        "kudos": Kudos.objects.count(),
        "plans": ImprovementPlan.objects.count(),
        "one_on_ones": Meeting.objects.filter(kind=MeetingKind.ONE_ON_ONE).count(),
    }


LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def chunk_seconds(argument: dict) -> dict:
    """`chunk_queries` at `argument["at"]`, rolled back (for bench/sidebyside.py's
    `in_process`, which runs it on the code of the checkout being compared)."""
    return chunk_queries(dt.datetime.fromisoformat(argument["at"]))


def compare(args) -> None:
    """The rolled-back chunks of 500 and 100 reps, this checkout and a baseline in
    turn, `--rounds` times each, on the same (already seeded) database."""
    import statistics

    from sidebyside import in_process

    roots = {"before": args.baseline.resolve(), "after": ROOT}
    samples: dict = {name: [] for name in roots}
    for _round in range(args.rounds):
        for name, root in roots.items():
            samples[name].append(
                in_process(
                    root,
                    args.database,
                    "review.chunk_seconds",
                    {"at": args.at},
                    env={"EMAIL_BACKEND": LOCMEM},
                )
            )
    result: dict = {"command": " ".join(["python", *sys.argv]), "machine": machine()}
    for name, runs in samples.items():
        result[name] = {
            key: {
                "queries": runs[0][key]["queries"],
                "median_seconds": statistics.median(
                    run[key]["seconds"] for run in runs
                ),
                "seconds": [run[key]["seconds"] for run in runs],
            }
            for key in ("chunk_500", "chunk_100", "booking_chunk_500")
        }
    result["ratio chunk_500 after / before"] = round(
        result["after"]["chunk_500"]["median_seconds"]
        / result["before"]["chunk_500"]["median_seconds"],
        2,
    )
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="salesteam_bench_review")
    parser.add_argument("--reps", type=int, default=10000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--at", default=default_instant(), help="ISO, with a zone")
    parser.add_argument("--reuse", action="store_true", help="Keep the seeded data.")
    parser.add_argument("--keep", action="store_true", help="Do not drop it after.")
    parser.add_argument("--profile", action="store_true", help="Also cProfile a run.")
    parser.add_argument("--processes", type=int, default=1, help="run_review's")
    parser.add_argument(
        "--broker",
        help="Queue the emails on this Redis (e.g. redis://127.0.0.1:6379/13, flushed) "
        "as in production, instead of sending them inside run_review; a worker then "
        "drains the queue, timed on its own.",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="Only compare the rolled-back chunks with this checkout's, in turn, "
        "on the seeded --database (nothing is written).",
    )
    parser.add_argument("--rounds", type=int, default=3, help="with --baseline")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        raise SystemExit("Give a plain database name, e.g. salesteam_bench_review.")
    if args.baseline:
        compare(args)
        return

    env = database_env(args.database) | {
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"
    }
    result: dict = {
        "command": " ".join([Path(PYTHON).name, *sys.argv]),
        "machine": machine(),
        "at": args.at,
    }
    if args.reuse:
        run([PYTHON, "manage.py", "migrate", "-v0"], env)
    else:
        run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {args.database}"], env)
        run([*PSQL, "-c", f"CREATE DATABASE {args.database}"], env)
        run([PYTHON, "manage.py", "migrate", "-v0"], env)
        seed = ["seed_demo", "--reps", str(args.reps), "--days", str(args.days)]
        seconds = run([PYTHON, "manage.py", *seed], env, timeout=3600)
        result["seed_seconds"] = round(seconds, 1)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # a line a task
    from django.db import connection

    from coaching.review import review_and_follow_up
    from targets.review import reps_to_review

    now = dt.datetime.fromisoformat(args.at)
    result["queries"] = chunk_queries(now)
    connection.close()
    copy = f"{args.database}_profile"
    if args.profile:  # a copy in the state before the runs
        run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {copy}"], env)
        run([*PSQL, "-c", f"CREATE DATABASE {copy} TEMPLATE {args.database}"], env)
    run_env = dict(env)
    if args.broker:
        import redis

        redis.Redis.from_url(args.broker).flushdb()
        run_env |= {"REDIS_URL": args.broker, "CELERY_TASK_ALWAYS_EAGER": "0"}
    result["first_run"] = timed_review(run_env, args.at, args.processes)
    if args.broker:
        result["worker_drain"] = drained_by_a_worker(run_env, args.broker, 2)
    result["second_run"] = timed_review(run_env, args.at, args.processes)
    result["queries"]["chunk_500_nothing_due"] = counted(
        review_and_follow_up, rep_ids=reps_to_review()[:500], now=now
    )[1]
    result["sizes"] = sizes()
    connection.close()
    if args.profile:
        profiled_review(env, copy, args.at)
    if not args.keep:
        run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {args.database}"], env)
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
