"""Benchmark: one review chunk (review and booking) of two checkouts, in-process, side by
side, on copies of one seeded PostgreSQL database.

    .venv/bin/python bench/review_chunk_compare.py --template st_speed_seed1k \\
        --baseline /work/base --rounds 3 --repeats 5

Where `review_compare.py` times whole `run_review` processes (start-up, forks and
all), this times `review_and_book` of the first `--size` reps inside a transaction
that is rolled back, `--repeats` times in one process (the first, which loads the
code's caches, is dropped), so that the chunk's own work is compared without the
noise of process start-up. Each checkout runs on its own copy of the template,
migrated by its own code (`<prefix>_baseline`, `<prefix>_this`). `--profile` prints
a pyinstrument profile of one more chunk per checkout. Nothing here talks to anything
but 127.0.0.1.
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from dashboard import ROOT, database_env, machine  # bench/ helpers
from review import default_instant
from review_compare import prepared_copy, psql

# Run inside each checkout: prints one JSON line of the chunk's times and queries.
CHUNK_RUN = """
import datetime as dt, json, sys, time
import django
django.setup()
from django.db import connection, transaction
from coaching.review import review_and_book
from targets.review import reps_to_review

at, size, repeats, profile = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
now = dt.datetime.fromisoformat(at)
rep_ids = reps_to_review()[:size]
count = 0

def counter(execute, sql, params, many, context):
    global count
    count += 1
    return execute(sql, params, many, context)

class Rollback(Exception):
    pass

def one_chunk():
    global count
    count = 0
    started = time.perf_counter()
    try:
        with connection.execute_wrapper(counter), transaction.atomic():
            summary = review_and_book(rep_ids=rep_ids, now=now)
            seconds = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return seconds, count, summary

times = []
for _ in range(repeats + 1):
    seconds, queries, summary = one_chunk()
    times.append(round(seconds, 4))
if profile == "1":
    from pyinstrument import Profiler
    with Profiler(interval=0.0005) as profiler:
        one_chunk()
    sys.stderr.write(profiler.output_text(unicode=True, color=False, show_all=False))
print(json.dumps({
    "seconds": times[1:],
    "queries": queries,
    "summary": f"{summary.reviewed} reviewed, {summary.flags} flags, "
    f"{len(summary.plans_opened)} plans, {summary.meetings_booked} booked",
}))
"""


def chunk_run(*, root: Path, env: dict, args) -> dict:
    python = str(root / ".venv" / "bin" / "python")
    done = subprocess.run(
        [python, "-c", CHUNK_RUN, args.at, str(args.size), str(args.repeats)]
        + ["1" if args.profile else "0"],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{root}: the chunk failed\n{done.stderr}")
    if args.profile:
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", required=True, help="a seeded database")
    parser.add_argument("--baseline", type=Path, default=Path("/work/base"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--at", default=default_instant(), help="ISO, with a zone")
    parser.add_argument("--copy-prefix", default="st_chunk_compare")
    parser.add_argument("--reuse", action="store_true", help="copies made before")
    parser.add_argument("--keep", action="store_true", help="keep the copies")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    checkouts = {"baseline": args.baseline.resolve(), "this": ROOT}
    envs = {
        name: {"SECRET_KEY": "bench-chunk-compare-" + "x" * 40}
        | database_env(f"{args.copy_prefix}_{name}")
        | {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
        for name in checkouts
    }
    if not args.reuse:
        for name, root in checkouts.items():
            prepared_copy(
                template=args.template,
                copy=f"{args.copy_prefix}_{name}",
                root=root,
                env=envs[name],
            )
    times: dict[str, list[float]] = {name: [] for name in checkouts}
    runs = []
    for round_number in range(args.rounds):
        order = list(checkouts) if round_number % 2 == 0 else list(checkouts)[::-1]
        for name in order:
            result = chunk_run(root=checkouts[name], env=envs[name], args=args)
            print(name, round_number, result, flush=True)
            times[name] += result["seconds"]
            runs.append({"checkout": name, "round": round_number, **result})
    medians = {name: statistics.median(values) for name, values in times.items()}
    report = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "seconds": {
            name: {
                "median": round(medians[name], 4),
                "min": min(values),
                "max": max(values),
            }
            for name, values in times.items()
        },
        "ratio_of_medians": round(medians["this"] / medians["baseline"], 3),
        "runs": runs,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")
    if not (args.reuse or args.keep):
        for name in checkouts:
            psql(f"DROP DATABASE IF EXISTS {args.copy_prefix}_{name}", envs[name])


if __name__ == "__main__":
    main()
