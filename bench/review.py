"""Benchmark: `manage.py run_review` for many reps on PostgreSQL.

Run by hand (it is not a test). See bench/README.md. In short:

    .venv/bin/python bench/review.py --database salesteam_bench_review --reps 10000 --days 60

It (1) drops and recreates the database on 127.0.0.1 with psql, migrates it and seeds it
with `manage.py seed_demo --reps N --days D` (skip with --reuse), (2) counts in-process,
inside a transaction that is rolled back, the SQL queries of `review_and_follow_up` for a
chunk of 500 reps and one of 100, and of booking one one-on-one, (3) times
`manage.py run_review --at AT` end to end as a subprocess, twice (the second run has
nothing due), (4) prints the sizes, the counts and the seconds as JSON. Emails go to
the locmem backend and Celery runs eagerly. Nothing here talks to anything but 127.0.0.1.
"""

import argparse
import cProfile
import datetime as dt
import json
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


def timed_review(env: dict, at: str) -> dict:
    command = [PYTHON, "manage.py", "run_review", "--at", at]
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    done = subprocess.run(
        command, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    seconds = time.monotonic() - started
    return {"seconds": round(seconds, 1), "output": done.stdout.strip()}


def counted(function, **kwargs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function(**kwargs)
        seconds = time.perf_counter() - started
    return result, {"queries": len(queries), "seconds": round(seconds, 2)}


def chunk_queries(now: dt.datetime, profile: bool) -> dict:
    """Queries of one chunk of 500 and one of 100, then of bookings; all rolled back."""
    from django.db import transaction

    from meetings.plans import invitation_send, plan_book_one_on_one
    from meetings.review import review_and_follow_up
    from targets.review import reps_to_review

    ids = reps_to_review()
    counts: dict = {}
    with transaction.atomic():
        summary, counts["chunk_500"] = counted(
            review_and_follow_up, rep_ids=ids[:500], now=now
        )
        counts["chunk_500"] |= {"flags": summary.flags, "kudos": summary.kudos}
        counts["chunk_500"]["plans_to_book"] = len(summary.plans_to_book)
        summary_100, counts["chunk_100"] = counted(
            review_and_follow_up, rep_ids=ids[500:600], now=now
        )
        counts["chunk_100"]["flags"] = summary_100.flags
        bookings, meetings = [], []
        for plan_id in summary.plans_to_book[:20]:
            meeting, cost = counted(plan_book_one_on_one, plan_id=plan_id, now=now)
            bookings.append(cost)
            meetings += [meeting] if meeting else []
        counts["booking_one_on_one"] = {
            "bookings": len(bookings),
            "queries_each": sorted({cost["queries"] for cost in bookings}),
            "mean_seconds": round(
                sum(cost["seconds"] for cost in bookings) / max(len(bookings), 1), 3
            ),
        }
        if meetings:  # sent on commit by run_review; here called directly
            counts["invitation_email"] = counted(
                invitation_send, meeting_id=meetings[0].pk
            )[1]
        if profile:  # a whole chunk of 500 with its bookings, as run_review does it
            profiler = cProfile.Profile()
            profiler.enable()
            more = review_and_follow_up(rep_ids=ids[600:1100], now=now)
            for plan_id in more.plans_to_book:
                plan_book_one_on_one(plan_id=plan_id, now=now)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(r"salesteam|accounts|activities|targets|meetings", 25)
        transaction.set_rollback(True)
    return counts


def sizes() -> dict:
    from accounts.models import Role, User
    from activities.models import Activity, DayTally
    from meetings.models import ImprovementPlan, Meeting, MeetingKind
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="salesteam_bench_review")
    parser.add_argument("--reps", type=int, default=10000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--at", default=default_instant(), help="ISO, with a zone")
    parser.add_argument("--reuse", action="store_true", help="Keep the seeded data.")
    parser.add_argument("--keep", action="store_true", help="Do not drop it after.")
    parser.add_argument("--profile", action="store_true", help="cProfile a chunk.")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        raise SystemExit("Give a plain database name, e.g. salesteam_bench_review.")

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
        seed = [PYTHON, "manage.py", "seed_demo", "--reps", str(args.reps)]
        result["seed_seconds"] = round(
            run([*seed, "--days", str(args.days)], env, timeout=3600), 1
        )
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from meetings.review import review_and_follow_up
    from targets.review import reps_to_review

    now = dt.datetime.fromisoformat(args.at)
    result["queries"] = chunk_queries(now, args.profile)
    connection.close()
    result["first_run"] = timed_review(env, args.at)
    result["second_run"] = timed_review(env, args.at)
    result["queries"]["chunk_500_nothing_due"] = counted(
        review_and_follow_up, rep_ids=reps_to_review()[:500], now=now
    )[1]
    result["sizes"] = sizes()
    connection.close()
    if not args.keep:
        run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {args.database}"], env)
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
