"""Serve several checkouts (or databases) at once and time the same pages on each,
interleaved request by request, so that a loaded machine slows every variant alike.

Used by bench/lists.py and bench/org.py. A variant is (label, checkout root,
database): each gets its own gunicorn (one worker: the client is sequential) on its own
port on 127.0.0.1, with the production-like environment of bench/dashboard.py.
"""

import json
import statistics
import subprocess
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard import PYTHON, ROOT, Browser, database_env, wait_for_server


@dataclass(frozen=True)
class Variant:
    label: str  # e.g. "before@500"
    root: Path  # the checkout to serve
    database: str


def bench_env(database: str) -> dict:
    """bench/dashboard.py's environment, with a throwaway SECRET_KEY if none is set
    (DEBUG is off) and the cache of this machine's Redis left alone."""
    env = database_env(database)
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    return env


@contextmanager
def served(variant: Variant, port: int, workers: int = 1):
    env = bench_env(variant.database)
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "salesteam.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            # The baseline's all-teams page at 10,000 reps outlives the default 30 s
            # on a loaded machine; time it rather than let the worker be killed.
            "--timeout",
            "600",
        ],
        cwd=variant.root,
        env=env,
    )
    try:
        wait_for_server(port, timeout=60)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def in_process(
    root: Path, database: str, function: str, argument: dict, env: dict | None = None
) -> dict:
    """Run `bench/<module>.function(argument)` in a fresh interpreter on `root`'s code
    (so a measurement of the baseline imports the baseline), returning its JSON."""
    module, name = function.rsplit(".", 1)
    script = (
        "import json, sys, django\n"
        f"sys.path.insert(0, {str(root)!r})\n"
        f"sys.path.insert(1, {str(ROOT / 'bench')!r})\n"
        "django.setup()\n"
        f"from {module} import {name}\n"
        f"print('@@' + json.dumps({name}({argument!r})))\n"
    )
    completed = subprocess.run(
        [PYTHON, "-c", script],
        cwd=root,
        env=bench_env(database) | (env or {}),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if completed.returncode:
        raise SystemExit(f"{root} on {database}:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.rsplit("@@", 1)[1])


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 1),
        "p10_ms": round(ordered[max(int(len(ordered) * 0.1) - 1, 0)], 1),
        "p90_ms": round(ordered[max(int(len(ordered) * 0.9) - 1, 0)], 1),
        "n": len(ordered),
    }


def time_side_by_side(
    variants: list[Variant],
    plan: dict[str, list[tuple[str, str, str]]],
    *,
    requests: int,
    warmup: int = 3,
    port: int = 8770,
    budget_ms: dict[str, int] | None = None,
) -> dict:
    """Median client-side times: for each round, each page of each variant in turn.

    `plan` maps a variant's label to its pages, (page label, email, path). A page in
    `budget_ms` (by page label) stops being requested once its samples took that long
    in total (so a 4-second page does not hold the whole run up); it keeps its samples.
    """
    budget_ms = budget_ms or {}
    with ExitStack() as stack:
        ports = {
            variant.label: stack.enter_context(served(variant, port + index))
            for index, variant in enumerate(variants)
        }
        browsers: dict[tuple[str, str], Browser] = {}
        for variant in variants:
            for _page, email, _path in plan[variant.label]:
                key = (variant.label, email)
                if key not in browsers:
                    browsers[key] = Browser(ports[variant.label])
                    browsers[key].login(email)
        samples: dict[tuple[str, str], list[float]] = {
            (variant.label, page): []
            for variant in variants
            for page, *_rest in plan[variant.label]
        }
        spent: dict[tuple[str, str], float] = dict.fromkeys(samples, 0.0)
        sizes: dict[tuple[str, str], int] = {}
        for round_number in range(requests + warmup):
            for variant in variants:
                for page, email, path in plan[variant.label]:
                    key = (variant.label, page)
                    if page in budget_ms and spent[key] > budget_ms[page]:
                        continue
                    started = time.perf_counter()
                    status, body = browsers[variant.label, email].request("GET", path)
                    elapsed = (time.perf_counter() - started) * 1000
                    if status != 200:
                        raise SystemExit(f"{variant.label} {path} answered {status}")
                    sizes[key] = len(body)
                    if round_number >= warmup:
                        samples[key].append(elapsed)
                        spent[key] += elapsed
    return {
        f"{label} {page}": summary(values) | {"bytes": sizes[label, page]}
        for (label, page), values in samples.items()
        if values
    }
