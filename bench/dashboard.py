"""Benchmark: the manager dashboard against a trivial page, on PostgreSQL and gunicorn.

Run by hand (it is not a test). See bench/README.md. In short:

    .venv/bin/python bench/dashboard.py --database salesteam_bench --reps 50 --days 365

It (1) drops and recreates the database on 127.0.0.1 with psql, migrates it and seeds it
with `manage.py seed_demo --reps N --days D` (skip with --reuse), (2) counts the SQL
queries of each page in-process with CaptureQueriesContext, (3) serves the app with
gunicorn (2 workers) on 127.0.0.1, logs in through the login form and times N requests
of each page from the client side on loopback, interleaved, after a warm-up, and
(4) prints the medians, the ratios and the data sizes as JSON (and writes them to
--output). Nothing here talks to anything but 127.0.0.1.
"""

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PSQL = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
PASSWORD = "salesteam-demo"


def run(command: list[str], env: dict, *, timeout: int = 900) -> float:
    """Run a command to completion; returns its wall time in seconds."""
    started = time.monotonic()
    print("$", " ".join(command), flush=True)
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=timeout)
    return time.monotonic() - started


def database_env(database: str) -> dict:
    """A production-like environment, over plain HTTP on loopback."""
    return os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "DJANGO_SETTINGS_MODULE": "salesteam.settings",
    }


def build(database: str, reps: int, days: int, env: dict) -> dict:
    run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {database}"], env)
    run([*PSQL, "-c", f"CREATE DATABASE {database}"], env)
    migrate = run([PYTHON, "manage.py", "migrate", "-v0"], env)
    seed = run(
        [PYTHON, "manage.py", "seed_demo", "--reps", str(reps), "--days", str(days)],
        env,
        timeout=1800,
    )
    return {"migrate_seconds": round(migrate, 1), "seed_seconds": round(seed, 1)}


def in_process_measurements(env: dict, manager_email: str, admin_email: str) -> dict:
    """Data sizes and query counts, read in this process through Django."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, User
    from activities.models import Activity, DayTally, Deal

    manager = User.objects.get(email=manager_email)
    admin = User.objects.get(email=admin_email)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    first_day = DayTally.objects.order_by("local_date").values_list(
        "local_date", flat=True
    )[:1]
    sizes = {
        "reps": User.objects.filter(role=Role.REP, is_active=True).count(),
        "reps_in_managers_team": manager.managed_teams.first()
        .members.filter(role=Role.REP)
        .count(),
        "activities": Activity.objects.count(),
        "deals": Deal.objects.count(),
        "day_tallies": DayTally.objects.count(),
        "first_tally_day": str(first_day[0]) if first_day else None,
        "database_size": size,
    }
    counts = {}
    for label, user, path in pages(manager, admin):
        client = Client()
        client.force_login(user)
        client.get(path)  # warm caches (translations, templates)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        counts[label] = {"path": path, "status": status, "queries": len(queries)}
    connection.close()
    return {"sizes": sizes, "query_counts": counts}


def pages(manager, admin) -> list[tuple[str, object, str]]:
    team = manager.managed_teams.first()
    return [
        ("trivial_page_manager", manager, "/accounts/password/change/"),
        ("team_dashboard_week", manager, f"/targets/dashboard/?team={team.pk}"),
        (
            "team_dashboard_month_sorted",
            manager,
            f"/targets/dashboard/?team={team.pk}&period=month&sort=calls&dir=desc",
        ),
        ("trivial_page_admin", admin, "/accounts/password/change/"),
        ("all_teams_dashboard_admin", admin, "/targets/dashboard/?team=all"),
    ]


class Browser:
    """A minimal HTTP client with a cookie jar that ignores the Secure flag (loopback)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None):
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Origin": f"http://127.0.0.1:{self.port}",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, content

    def login(self, email: str) -> None:
        from urllib.parse import urlencode

        _status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            urlencode(
                {
                    "csrfmiddlewaretoken": token.decode(),
                    "username": email,
                    "password": PASSWORD,
                }
            ),
        )
        if status != 302:
            raise SystemExit(f"Logging in as {email} failed ({status}).")


def wait_for_server(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port}")


def timed(
    env: dict, port: int, requests: int, plan: list[tuple[str, str, str]]
) -> dict:
    """Median client-side time of each page, requests interleaved page by page."""
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "salesteam.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_server(port)
        browsers: dict[str, Browser] = {}
        for _label, email, _path in plan:
            if email not in browsers:
                browsers[email] = Browser(port)
                browsers[email].login(email)
        samples: dict[str, list[float]] = {label: [] for label, *_ in plan}
        for round_number in range(requests + 3):
            for label, email, path in plan:
                started = time.perf_counter()
                status, _body = browsers[email].request("GET", path)
                elapsed = time.perf_counter() - started
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
                if round_number >= 3:  # the first rounds warm both workers up
                    samples[label].append(elapsed * 1000)
        return {
            label: {
                "median_ms": round(statistics.median(values), 1),
                "p90_ms": round(sorted(values)[int(len(values) * 0.9) - 1], 1),
                "n": len(values),
            }
            for label, values in samples.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def machine() -> dict:
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    postgres = subprocess.run(
        [*PSQL, "-Atc", "SHOW server_version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": memory,
        "python": platform.python_version(),
        "postgres": postgres,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="salesteam_bench")
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--manager", default="mark@example.com")
    parser.add_argument("--admin", default="anna@example.com")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep an already seeded database."
    )
    parser.add_argument("--drop", action="store_true", help="Drop the database after.")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        raise SystemExit("Give a plain database name, e.g. salesteam_bench.")

    env = database_env(args.database)
    result: dict = {
        "command": " ".join([Path(PYTHON).name, *sys.argv]),
        "machine": machine(),
        "database": args.database,
        "seeded_with": f"seed_demo --reps {args.reps} --days {args.days}",
    }
    if args.reuse:
        run([PYTHON, "manage.py", "migrate", "-v0"], env)
    else:
        result["build"] = build(args.database, args.reps, args.days, env)
    result |= in_process_measurements(env, args.manager, args.admin)
    plan = [
        (label, args.manager if "admin" not in label else args.admin, counts["path"])
        for label, counts in result["query_counts"].items()
    ]
    result["timings"] = timed(env, args.port, args.requests, plan)
    timings = result["timings"]
    result["ratios"] = {
        "team_dashboard_week / trivial": round(
            timings["team_dashboard_week"]["median_ms"]
            / timings["trivial_page_manager"]["median_ms"],
            2,
        ),
        "team_dashboard_month_sorted / trivial": round(
            timings["team_dashboard_month_sorted"]["median_ms"]
            / timings["trivial_page_manager"]["median_ms"],
            2,
        ),
        "all_teams_dashboard / trivial (admin)": round(
            timings["all_teams_dashboard_admin"]["median_ms"]
            / timings["trivial_page_admin"]["median_ms"],
            2,
        ),
    }
    if args.drop:
        run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {args.database}"], env)
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
