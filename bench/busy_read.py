"""Benchmark: the busy-time read behind every slot choice, before and after ExternalBusy.

`meetings.selectors.busy_intervals_by_person` now reads scheduled meetings *and* the
busy times of people's own calendars in one UNION. This times it in two checkouts
(a baseline and this one), interleaved, each against its own migrated database:

    .venv/bin/python bench/busy_read.py --base /work/base --base-database st_base \\
        --database st_b3 --rounds 7

Each round runs, in each checkout, one process that builds in a rolled-back
transaction a manager with `--reps` reps and `--meetings` one-on-ones per rep over two
weeks (and, where the table exists, `--busy` busy times per rep), then times
`--calls` calls of `busy_intervals_by_person` for everyone over 15 days. Prints JSON:
the median per call of each round and the ratio of medians.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import datetime as dt, json, statistics, sys, time
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from accounts.models import Role, Team, User
from meetings.models import Meeting, Participant
from meetings.selectors import busy_intervals_by_person
try:
    from meetings.models import ExternalBusy
except ImportError:
    ExternalBusy = None
reps, meetings, busy, calls = map(int, sys.argv[1:5])
with transaction.atomic():
    manager = User.objects.create_user(email="bench-m@x.example", role=Role.MANAGER)
    team = Team.objects.create(name="bench busy", manager=manager)
    people = [manager] + [
        User.objects.create_user(email=f"bench-r{i}@x.example", role=Role.REP, team=team)
        for i in range(reps)
    ]
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    rows = [
        Meeting(kind="one_on_one", title="m", organiser=manager, rep=rep,
                starts_at=start + dt.timedelta(hours=7 * j + i % 7),
                duration_minutes=30, video_url="https://meet.example/x")
        for i, rep in enumerate(people[1:]) for j in range(meetings)
    ]
    Meeting.objects.bulk_create(rows)
    Participant.objects.bulk_create(
        [Participant(meeting=m, user=u) for m in rows for u in (m.organiser, m.rep)]
    )
    if ExternalBusy is not None:
        ExternalBusy.objects.bulk_create(
            ExternalBusy(person=rep, source_ref=f"e{j}",
                         starts_at=start + dt.timedelta(hours=5 * j + 3),
                         ends_at=start + dt.timedelta(hours=5 * j + 4))
            for rep in people[1:] for j in range(busy)
        )
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    end = start + dt.timedelta(days=15)
    for _ in range(20):
        busy_intervals_by_person(people=people, start=start, end=end)
    samples = []
    for _ in range(calls):
        t = time.perf_counter()
        found = busy_intervals_by_person(people=people, start=start, end=end)
        samples.append(time.perf_counter() - t)
    intervals = sum(len(v) for v in found.values())
    transaction.set_rollback(True)
print(json.dumps({"median_ms": statistics.median(samples) * 1000, "intervals": intervals,
                  "external_busy": ExternalBusy is not None}))
"""


def probe(root: Path, database: str, args) -> dict:
    env = os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DJANGO_SETTINGS_MODULE": "salesteam.settings",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    done = subprocess.run(
        [
            str(root / ".venv/bin/python"),
            "-c",
            PROBE,
            str(args.reps),
            str(args.meetings),
            str(args.busy),
            str(args.calls),
        ],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, default=Path("/work/base"))
    parser.add_argument("--base-database", default="st_base")
    parser.add_argument("--database", default="st_b3")
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--meetings", type=int, default=10)
    parser.add_argument("--busy", type=int, default=10)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    for root, database in ((args.base, args.base_database), (ROOT, args.database)):
        env = os.environ | {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"
        }
        subprocess.run(
            [str(root / ".venv/bin/python"), "manage.py", "migrate", "-v0"],
            cwd=root,
            env=env,
            check=True,
        )
    base, this = [], []
    for _ in range(args.rounds):  # interleaved: the machine's load hits both alike
        base.append(probe(args.base, args.base_database, args))
        this.append(probe(ROOT, args.database, args))
    base_ms = [r["median_ms"] for r in base]
    this_ms = [r["median_ms"] for r in this]
    print(
        json.dumps(
            {
                "reps": args.reps,
                "meetings_per_rep": args.meetings,
                "busy_per_rep": args.busy,
                "calls_per_round": args.calls,
                "base_ms": [round(v, 3) for v in base_ms],
                "this_ms": [round(v, 3) for v in this_ms],
                "base_median_ms": round(statistics.median(base_ms), 3),
                "this_median_ms": round(statistics.median(this_ms), 3),
                "ratio": round(
                    statistics.median(this_ms) / statistics.median(base_ms), 2
                ),
                "intervals": {
                    "base": base[-1]["intervals"],
                    "this": this[-1]["intervals"],
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    sys.exit(main())
