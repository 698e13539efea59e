"""Benchmark: the month forecast's cost in the review and on the dashboard, side by side.

Run by hand (it is not a test). See bench/README.md. In short:

    .venv/bin/python bench/forecast.py --database st_a2_bench --reps 1000 --days 60 \
        --base /work/base

It (1) recreates the database on 127.0.0.1, migrates it, seeds it with `seed_demo --reps N
--days D` and ANALYZEs it (--reuse: keep a seeded one), then (2) for each round runs the
same measurement in a fresh process from the baseline checkout (`--base`) and from this
one, interleaved, on the same data: one `review_chunk` of the first 500 reps at each
instant (in a transaction rolled back, so every run sees the same unreviewed data), and
`dashboard_for` of the demo manager's team and of every team (the admin's page), timed
and with their queries counted. (3) It prints JSON: medians, spreads and ratios.
"""

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from dashboard import PSQL, PYTHON, ROOT, build, database_env, machine, run

# The measurement, run with the checkout under test as the working directory.
MEASURE = r"""
import datetime as dt, json, sys, time
sys.path.insert(0, ".")
import django
django.setup()
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from accounts.models import Team, User
from targets.dashboard import dashboard_for, teams_in_order
from targets.review import review_chunk, reps_to_review

instants, chunk = json.loads(sys.argv[1]), int(sys.argv[2])
ids = reps_to_review()[:chunk]
out = {}

def measured(function, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = function(**kwargs)
        seconds = time.perf_counter() - started
    return result, len(queries), seconds

for at in instants:
    now = dt.datetime.fromisoformat(at)
    with transaction.atomic():
        outcome, queries, seconds = measured(review_chunk, rep_ids=ids, now=now)
        kinds = {}
        for flag in outcome.flags:
            kinds[flag.kind] = kinds.get(flag.kind, 0) + 1
        out[f"review_{at}"] = {"seconds": seconds, "queries": queries, "flags": kinds}
        transaction.set_rollback(True)

    manager = User.objects.get(email="mark@example.com")
    admin = User.objects.get(email="anna@example.com")
    team = manager.managed_teams.first()
    teams = teams_in_order(Team.objects.all())
    for name, viewer, shown in (("team", manager, team), ("all_teams", admin, None)):
        board, queries, seconds = measured(
            dashboard_for, viewer=viewer, teams=teams if shown is None else [shown],
            team=shown, period="week", now=now,
        )
        out[f"dashboard_{name}_{at}"] = {
            "seconds": seconds, "queries": queries, "rows": len(board.rows)
        }
print(json.dumps(out))
"""


def measure(checkout: Path, env: dict, instants: list[str], chunk: int) -> dict:
    done = subprocess.run(
        [PYTHON, "-c", MEASURE, json.dumps(instants), str(chunk)],
        env=env,
        cwd=checkout,
        check=True,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(runs: list[dict]) -> dict:
    """Median, lowest and highest seconds of each measurement, with its queries."""
    result = {}
    for key in runs[0]:
        seconds = [run[key]["seconds"] for run in runs]
        result[key] = {
            "median_s": round(statistics.median(seconds), 3),
            "min_s": round(min(seconds), 3),
            "max_s": round(max(seconds), 3),
        } | {k: v for k, v in runs[0][key].items() if k != "seconds"}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="st_a2_bench")
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--base", type=Path, default=Path("/work/base"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument(
        "--at",
        nargs="+",
        default=["2026-12-07T12:00:00+00:00", "2026-12-16T12:00:00+00:00"],
        help="review instants (ISO, with a zone)",
    )
    parser.add_argument("--reuse", action="store_true", help="Keep the seeded data.")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    env = database_env(args.database)
    sizes = {}
    if not args.reuse:
        sizes = build(args.database, args.reps, args.days, env)
        run([*PSQL, "-d", args.database, "-c", "ANALYZE"], env)
    runs: dict[str, list[dict]] = {"base": [], "this": []}
    for round_number in range(args.rounds):
        for name, checkout in (("base", args.base), ("this", ROOT)):
            print(f"round {round_number + 1}: {name}", file=sys.stderr, flush=True)
            runs[name].append(measure(checkout, env, args.at, args.chunk))
    base, this = summary(runs["base"]), summary(runs["this"])
    report = {
        "machine": machine(),
        "reps": args.reps,
        "days": args.days,
        "rounds": args.rounds,
        "build": sizes,
        "base": base,
        "this": this,
        "ratio_this_to_base": {
            key: round(this[key]["median_s"] / base[key]["median_s"], 2) for key in base
        },
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text)


if __name__ == "__main__":
    main()
