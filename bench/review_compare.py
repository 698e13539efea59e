"""Benchmark: `run_review` of two checkouts side by side, interleaved, on copies of one
seeded PostgreSQL database (issue 15: the review with diagnosis against today's).

    .venv/bin/python bench/review_compare.py --template st_a1_bench_seed \\
        --baseline /work/base --rounds 5 --output /tmp/review-compare.json

The template is a database seeded by the baseline's code (`seed_demo --reps N --days
D`, not yet reviewed). Each round, for the baseline and this checkout in turn (the
order swaps every round, so drift on a shared machine falls on both), it copies the
template (`CREATE DATABASE … TEMPLATE`), migrates the copy with that checkout's code,
runs `ANALYZE`, then times `manage.py run_review --at AT --processes P` as a
subprocess from start to exit, in production mode: emails queued on Redis (`--broker`,
flushed before each run) rather than sent inside the run. Prints medians, spread and
the ratio as JSON. Nothing here talks to anything but 127.0.0.1.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from dashboard import PSQL, ROOT, database_env, machine  # bench/ helpers
from review import COUNTED_RUN, default_instant


def psql(sql: str, env: dict, database: str = "postgres") -> None:
    subprocess.run([*PSQL, "-d", database, "-c", sql], env=env, check=True)


def prepared_copy(*, template: str, copy: str, root: Path, env: dict) -> None:
    """A fresh copy of the template, migrated by `root`'s code and analysed."""
    psql(f"DROP DATABASE IF EXISTS {copy}", env)
    psql(f"CREATE DATABASE {copy} TEMPLATE {template}", env)
    python = str(root / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "migrate", "-v0"], env=env, cwd=root, check=True
    )
    psql("ANALYZE", env, database=copy)
    # The migration's index builds (this checkout's copy may build several over the
    # activities) leave WAL and dirty pages; a checkpoint now keeps their write-out
    # from landing on the timed run of one checkout only.
    psql("CHECKPOINT", env)


def postgres_cpu_seconds() -> float:
    """CPU used by PostgreSQL's processes so far: the live ones' own and, through the
    postmaster's children counters, that of the backends that have exited (each run's
    connections do). On a shared machine whose speed drifts, CPU time wanders less than
    the wall clock."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        name, fields = (
            text[text.index("(") + 1 : text.rindex(")")],
            text.rsplit(")", 1)[1],
        )
        if name != "postgres":
            continue
        values = fields.split()
        utime, stime, cutime, cstime = (int(v) for v in values[11:15])
        total += utime + stime + cutime + cstime
    return total / ticks


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(*, root: Path, env: dict, at: str, processes: int) -> dict:
    python = str(root / ".venv" / "bin" / "python")
    python_cpu, postgres_cpu = children_cpu_seconds(), postgres_cpu_seconds()
    started = time.monotonic()
    done = subprocess.run(
        [python, "-c", COUNTED_RUN, at, str(processes)],
        env=env,
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    python_cpu = children_cpu_seconds() - python_cpu
    postgres_cpu = postgres_cpu_seconds() - postgres_cpu
    output, queries = done.stdout.strip().rsplit("\n", 1)
    return {
        "seconds": round(seconds, 2),
        # The run's processes (forked workers included) and PostgreSQL's meanwhile.
        "cpu_seconds": round(python_cpu + postgres_cpu, 2),
        "python_cpu_seconds": round(python_cpu, 2),
        "postgres_cpu_seconds": round(postgres_cpu, 2),
        "queries": int(queries.split()[-1]),
        "summary": output.splitlines()[-1] if output else "",
    }


def spread(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "runs": values,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", required=True, help="a seeded database")
    parser.add_argument(
        "--this-template",
        help="the same database already migrated by this checkout and vacuumed, for "
        "this checkout's copies (default: --template): its migrations' index builds "
        "then happen once, not just before each of its timed runs",
    )
    parser.add_argument("--baseline", type=Path, default=Path("/work/base"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--at", default=default_instant(), help="ISO, with a zone")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--output", type=Path)
    parser.add_argument(
        "--copy-prefix",
        help="name the copies <prefix>_baseline and <prefix>_this (default: the "
        "template's name), so that two people comparing on one template do not meet",
    )
    args = parser.parse_args()
    templates = {"baseline": args.template, "this": args.this_template or args.template}
    names = (*templates.values(), args.copy_prefix or args.template)
    if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", name) for name in names):
        raise SystemExit("Give a plain database name.")
    copies = {f"{args.copy_prefix or args.template}_{name}" for name in templates}
    if clash := copies & set(templates.values()):
        # Each copy is dropped before it is made: it would drop that template.
        raise SystemExit(
            f"{', '.join(sorted(clash))} is a template and a copy: give --copy-prefix."
        )
    import redis

    checkouts = {"baseline": args.baseline.resolve(), "this": ROOT}
    times: dict[str, list[float]] = {name: [] for name in checkouts}
    cpu: dict[str, list[float]] = {name: [] for name in checkouts}
    runs = []
    for round_number in range(args.rounds):
        order = list(checkouts) if round_number % 2 == 0 else list(checkouts)[::-1]
        for name in order:
            copy = f"{args.copy_prefix or args.template}_{name}"
            env = (
                {"SECRET_KEY": "bench-review-compare-" + "x" * 40}
                | database_env(copy)
                | {
                    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                    "REDIS_URL": args.broker,
                    "CELERY_TASK_ALWAYS_EAGER": "0",
                    "PYTHONDONTWRITEBYTECODE": "1",
                }
            )
            prepared_copy(
                template=templates[name], copy=copy, root=checkouts[name], env=env
            )
            redis.Redis.from_url(args.broker).flushdb()
            result = timed_run(
                root=checkouts[name], env=env, at=args.at, processes=args.processes
            )
            print(name, round_number, result, flush=True)
            times[name].append(result["seconds"])
            cpu[name].append(result["cpu_seconds"])
            runs.append({"checkout": name, "round": round_number, **result})
            psql(f"DROP DATABASE IF EXISTS {copy}", env)
    redis.Redis.from_url(args.broker).flushdb()
    report = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "at": args.at,
        "templates": templates,
        "seconds": {name: spread(values) for name, values in times.items()},
        "ratio_of_medians": round(
            statistics.median(times["this"]) / statistics.median(times["baseline"]), 3
        ),
        "cpu_seconds": {name: spread(values) for name, values in cpu.items()},
        "cpu_ratio_of_medians": round(
            statistics.median(cpu["this"]) / statistics.median(cpu["baseline"]), 3
        ),
        "ratios_per_round": [
            round(this / base, 3)
            for this, base in zip(times["this"], times["baseline"], strict=True)
        ],
        "runs": runs,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
