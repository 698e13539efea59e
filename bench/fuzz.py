"""Schemathesis per role with a big budget: the CI fuzz tests, 200+ examples an operation.

Runs `tests/api/test_schema_fuzz.py` (every operation as rep, manager and admin, positive
and negative data, the four response checks, plus the stateful run per role) with the
budget raised through its environment variables, on PostgreSQL when DATABASE_URL is set.
Prints the counts as JSON for docs/reliability.md and exits non-zero on any failure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/salesteam_fuzz \
        .venv/bin/python bench/fuzz.py --examples 200
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--stateful-examples", type=int, default=50)
    parser.add_argument("--stateful-steps", type=int, default=10)
    args = parser.parse_args()

    env = {
        **os.environ,
        "FUZZ_EXAMPLES": str(args.examples),
        "FUZZ_STATEFUL_EXAMPLES": str(args.stateful_examples),
        "FUZZ_STATEFUL_STEPS": str(args.stateful_steps),
    }
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/api/test_schema_fuzz.py",
            "-q",
            "-p",
            "no:randomly",
            "-o",
            "addopts=",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    summary = result.stdout.strip().splitlines()[-1] if result.stdout else ""
    counts = {word: int(number) for number, word in re.findall(r"(\d+) (\w+)", summary)}
    failed = [
        line.split("::", 1)[1]
        for line in result.stdout.splitlines()
        if line.startswith("FAILED")
    ]
    print(
        json.dumps(
            {
                "machine": f"{platform.processor() or platform.machine()}, "
                f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
                "database": "postgresql" if env.get("DATABASE_URL") else "sqlite",
                "examples_per_operation_and_role": args.examples,
                "stateful_runs_per_role": args.stateful_examples,
                "stateful_steps": args.stateful_steps,
                "tests": counts,
                "failed": failed,
                "seconds": round(seconds),
            },
            indent=2,
        )
    )
    if result.returncode != 0:
        # The failures themselves, without the request log that pytest captured.
        failures = result.stdout.split("= FAILURES =", 1)[-1]
        print(
            "\n".join(
                line
                for line in failures.splitlines()
                if " django.request " not in line and "log.py:" not in line
            )[:50000],
            file=sys.stderr,
        )
        raise SystemExit(result.returncode)


if __name__ == "__main__":
    main()
