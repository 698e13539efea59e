"""The write path against trivial requests: API and HTML, one request at a time and wrk.

Run by hand (see bench/README.md, "writes.py"). For each checkout given with `--target
NAME=ROOT` it builds its own PostgreSQL database (16 reps, one of whom has `--today`
entries logged today, 100,000 by default; then ANALYZE), serves it with gunicorn
(production settings, 2 workers) from that checkout, and measures them side by side:

- sequential rounds, every request interleaved target by target: the trivial
  authenticated POST (`POST /api/v1/notifications/mark-read/` with nothing to mark), the
  activity POST with and without an Idempotency-Key, the trivial page
  (`/accounts/password/change/`), the HTML quick-log POST (htmx) and the Today panel it
  refreshes, as the rep with the 100,000 entries;
- wrk passes (`-t2 -c16`), interleaved target by target and endpoint by endpoint: the
  trivial POST and the activity POST with and without a key;
- at the end, per target: activities created == 2xx responses (+ wrk requests still in
  flight when it stopped; both reported) and the day tallies == a recount
  (`manage.py verify_tallies`).

Celery queues to Redis (`--redis`, database 7 by default, flushed before and after) with no
worker running, as the web sees it in production. `profile` prints a pyinstrument profile
of the activity POST in-process for one checkout.

    .venv/bin/python bench/writes.py --target base=/work/base --target branch=. \\
        --output /tmp/writes.json
    .venv/bin/python bench/writes.py profile --root . --database c1_writes_branch
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dashboard import PSQL, Browser, machine, wait_for_server

PASSWORD = "salesteam-demo"
REPS = 16

SETUP = r"""
import datetime as dt
from decimal import Decimal
from django.db import connection
from django.utils import timezone
from accounts.models import Role
from accounts.services import team_create, user_create
from activities.models import Metric
from activities.tallies import tallies_rebuild
from targets.services import target_set

manager = user_create(email="writes.manager@example.com", first_name="Writes",
    last_name="Manager", role=Role.MANAGER, timezone="Europe/Athens",
    password="%(password)s")
team = team_create(name="Writes", manager=manager)
calls = Metric.objects.get(slug="calls")
start = timezone.now().date() - dt.timedelta(days=30)
reps = []
for n in range(%(reps)d):
    rep = user_create(email=f"writes{n}@example.com", first_name="Rep", last_name=str(n),
        role=Role.REP, team=team, timezone="Europe/Athens", password="%(password)s",
        start_date=start)
    target_set(rep=rep, metric=calls, period="day", amount=Decimal(25),
        effective_from=start, by=None)
    reps.append(rep)
rep = reps[0]
now = timezone.now()
today = rep.local_date(now)
midnight = dt.datetime.combine(today, dt.time(0), tzinfo=rep.zone)
seconds = max(int((now - midnight).total_seconds()) - 1, 1)
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO activities_activity (rep_id, metric_id, quantity, occurred_at,"
        " local_date, outcome, note, source, created_at)"
        " SELECT %%s, %%s, 1, %%s + (n %%%% %%s) * interval '1 second', %%s, '', '',"
        " 'web', %%s FROM generate_series(1, %%s) AS n",
        [rep.pk, calls.pk, midnight, seconds, today, now, %(today)d],
    )
tallies_rebuild()
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print("SETUP", rep.pk)
"""

COUNTS = r"""
from activities.models import Activity, IdempotentRequest
print("COUNTS", Activity.objects.count(), IdempotentRequest.objects.count())
"""

PROFILE = r"""
import uuid
import os
from pyinstrument import Profiler
from rest_framework.test import APIClient
from accounts.models import User
from accounts.tokens import token_issue
from django.db import connection
from django.test.utils import CaptureQueriesContext
rep = User.objects.get(email="writes1@example.com")
client = APIClient()
client.credentials(HTTP_AUTHORIZATION="Token " + token_issue(user=rep))
body = {"metric": "calls", "quantity": 1}
for _ in range(50):
    client.post("/api/v1/activities/", body, format="json")
for key in (False, True):
    headers = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())} if key else {}
    with CaptureQueriesContext(connection) as queries:
        client.post("/api/v1/activities/", body, format="json", **headers)
    print(f"--- queries (key={key}): {len(queries)}")
    for query in queries:
        print("   ", query["sql"][:160])
profiler = Profiler(interval=0.0002)
profiler.start()
for n in range(%(n)d):
    headers = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())} if n %% 2 else {}
    client.post("/api/v1/activities/", body, format="json", **headers)
profiler.stop()
everything = os.environ.get("PROFILE_ALL") == "1"
print(profiler.output_text(unicode=True, color=False, show_all=everything))
"""

LUA = r"""
local tokens = {%(tokens)s}
local path = "%(path)s"
local body = '%(body)s'
local with_key = %(with_key)s
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  ok = 0
  other = 0
  math.randomseed(os.time() + id * 7919)
end

function request()
  sent = sent + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Token " .. tokens[(sent + id) %% #tokens + 1],
  }
  if with_key then
    headers["Idempotency-Key"] = string.format(
      "w-%%d-%%d-%%d", id, sent, math.random(1, 1000000000))
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local sent_all, ok_all, other_all = 0, 0, 0
  for _, thread in ipairs(threads) do
    sent_all = sent_all + thread:get("sent")
    ok_all = ok_all + thread:get("ok")
    other_all = other_all + thread:get("other")
  end
  io.write(string.format(
    "WRK {\"sent\": %%d, \"ok\": %%d, \"other\": %%d, \"socket_errors\": %%d, " ..
    "\"p50_ms\": %%.2f, \"p99_ms\": %%.2f}\n",
    sent_all, ok_all, other_all,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def environment(database: str, redis: str) -> dict:
    return os.environ | {
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "REDIS_URL": redis,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SETTINGS_MODULE": "salesteam.settings",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "API_THROTTLE_USER": "100000000/minute",
        "API_THROTTLE_ANON": "100000000/minute",
        "API_THROTTLE_TOKEN": "100000000/minute",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


class Target:
    def __init__(self, name: str, root: Path, database: str, port: int, redis: str):
        self.name = name
        self.root = root
        self.database = database
        self.port = port
        self.env = environment(database, redis)
        self.python = str(root / ".venv" / "bin" / "python")
        self.server = None
        self.ok_writes = 0  # 2xx answers to requests that write one activity
        self.in_flight = 0

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run(
            [self.python, "manage.py", *args],
            cwd=self.root,
            env=self.env,
            check=not capture,
            capture_output=capture,
            text=True,
        )
        return (result.stdout or "") + (result.stderr or "") if capture else ""

    def shell(self, script: str) -> str:
        return subprocess.run(
            [self.python, "manage.py", "shell", "-c", script],
            cwd=self.root,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def build(self, today: int) -> None:
        for sql in (
            f"DROP DATABASE IF EXISTS {self.database}",
            f"CREATE DATABASE {self.database}",
        ):
            subprocess.run([*PSQL, "-c", sql], check=True)
        self.manage("migrate", "--noinput", "-v", "0")
        out = self.shell(SETUP % {"password": PASSWORD, "reps": REPS, "today": today})
        if "SETUP" not in out:
            raise SystemExit(f"{self.name}: setup failed\n{out}")

    def start(self) -> None:
        self.server = subprocess.Popen(
            [
                self.python,
                "-m",
                "gunicorn",
                "salesteam.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=self.root,
            env=self.env,
        )
        wait_for_server(self.port)
        self.tokens = []
        for n in range(REPS):
            status, body = self.api(
                None,
                "POST",
                "/api/v1/auth/token/",
                {"email": f"writes{n}@example.com", "password": PASSWORD},
            )
            if status != 200:
                raise SystemExit(f"{self.name}: token for rep {n}: {status} {body}")
            self.tokens.append(json.loads(body)["token"])
        self.api_connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60
        )
        self.browser = Browser(self.port)
        self.browser.login("writes0@example.com")
        _status, page = self.browser.request("GET", "/")
        self.csrf = re.search(
            rb'name="csrfmiddlewaretoken" value="([^"]+)"', page
        ).group(1)

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)

    def api(self, token, method, path, body=None, key=None, connection=None):
        connection = connection or http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60
        )
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        if key:
            headers["Idempotency-Key"] = key
        connection.request(method, path, body=json.dumps(body or {}), headers=headers)
        response = connection.getresponse()
        return response.status, response.read()

    # --- the measured requests ------------------------------------------------------

    def trivial_post(self, n: int):
        return self.api(
            self.tokens[1 + n % (REPS - 1)],
            "POST",
            "/api/v1/notifications/mark-read/",
            connection=self.api_connection,
        )

    def activity_post(self, n: int, key: bool = False):
        return self.api(
            self.tokens[1 + n % (REPS - 1)],
            "POST",
            "/api/v1/activities/",
            {"metric": "calls", "quantity": 1},
            key=str(uuid.uuid4()) if key else None,
            connection=self.api_connection,
        )

    def activity_post_key(self, n: int):
        return self.activity_post(n, key=True)

    def trivial_page(self, n: int):
        return self.browser.request("GET", "/accounts/password/change/")

    def quick_log_post(self, n: int):
        body = urlencode({"csrfmiddlewaretoken": self.csrf.decode(), "metric": "calls"})
        return self._htmx(
            "POST", "/activities/log/", body, {"X-CSRFToken": self.csrf.decode()}
        )

    def today_panel(self, n: int):
        return self._htmx("GET", "/targets/today/panel/", None, {})

    def _htmx(self, method, path, body, extra):
        browser = self.browser
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items()),
            "Origin": f"http://127.0.0.1:{self.port}",
            "Referer": f"http://127.0.0.1:{self.port}/",
            "HX-Request": "true",
            **extra,
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        browser.connection.request(method, path, body=body, headers=headers)
        response = browser.connection.getresponse()
        return response.status, response.read()


SEQUENTIAL = [
    ("trivial_post", 200, False),
    ("activity_post", 201, True),
    ("activity_post_key", 201, True),
    ("trivial_page", 200, False),
    ("quick_log_post", 200, True),
    ("today_panel", 200, False),
]
WRK = [
    ("trivial_post", "/api/v1/notifications/mark-read/", "{}", False),
    (
        "activity_post",
        "/api/v1/activities/",
        '{"metric": "calls", "quantity": 1}',
        False,
    ),
    (
        "activity_post_key",
        "/api/v1/activities/",
        '{"metric": "calls", "quantity": 1}',
        True,
    ),
]


def sequential(targets: list[Target], rounds: int, samples: dict) -> None:
    for round_number in range(rounds + 3):
        for label, expected, writes in SEQUENTIAL:
            for target in targets:
                started = time.perf_counter()
                status, body = getattr(target, label)(round_number)
                elapsed = (time.perf_counter() - started) * 1000
                if status != expected or (
                    label == "quick_log_post" and b"alert-danger" in body
                ):
                    raise SystemExit(f"{target.name} {label}: {status} {body[:300]!r}")
                if writes:
                    target.ok_writes += 1
                if round_number >= 3:  # the first rounds warm both workers up
                    samples[target.name][label].append(elapsed)


def wrk_pass(target: Target, label, path, body, with_key, seconds, scratch) -> dict:
    script = Path(scratch) / f"{target.name}-{label}.lua"
    script.write_text(
        LUA
        % {
            "tokens": ", ".join(json.dumps(token) for token in target.tokens[1:]),
            "path": path,
            "body": body,
            "with_key": "true" if with_key else "false",
        }
    )
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c16",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"http://127.0.0.1:{target.port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"^WRK (\{.*\})$", output, re.MULTILINE)
    if not found:
        raise SystemExit(f"wrk printed no summary:\n{output}")
    figures = json.loads(found.group(1))
    figures["requests_per_second"] = round(figures["ok"] / seconds, 1)
    if path == "/api/v1/activities/":
        target.ok_writes += figures["ok"]
        target.in_flight += figures["sent"] - figures["ok"] - figures["other"]
    return figures


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p10_ms": round(ordered[max(int(len(ordered) * 0.1) - 1, 0)], 2),
        "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1], 2),
        "n": len(ordered),
    }


def measure(args) -> dict:
    redis = args.redis
    targets = []
    for n, spec in enumerate(args.target):
        name, _, root = spec.partition("=")
        targets.append(
            Target(
                name,
                Path(root).resolve(),
                f"{args.database_prefix}_{name}",
                args.port + n,
                redis,
            )
        )
    flush = ["redis-cli", "-u", redis, "FLUSHDB"]
    subprocess.run(flush, check=True, capture_output=True)
    if not args.reuse:
        for target in targets:
            print(f"Building {target.database} from {target.root} …", file=sys.stderr)
            target.build(args.today)
    before = {t.name: t.shell(COUNTS).split()[-2:] for t in targets}
    samples = {t.name: {label: [] for label, *_ in SEQUENTIAL} for t in targets}
    throughput = {t.name: {label: [] for label, *_ in WRK} for t in targets}
    try:
        for target in targets:
            target.start()
        with tempfile.TemporaryDirectory() as scratch:
            for block in range(args.blocks):
                print(f"block {block + 1}/{args.blocks}", file=sys.stderr)
                sequential(targets, args.rounds, samples)
                for label, path, body, with_key in WRK:
                    for target in targets:
                        throughput[target.name][label].append(
                            wrk_pass(
                                target,
                                label,
                                path,
                                body,
                                with_key,
                                args.seconds,
                                scratch,
                            )
                        )
    finally:
        for target in targets:
            target.stop()
        subprocess.run(flush, check=False, capture_output=True)
    result = {"machine": machine(), "reps": REPS, "entries_today": args.today}
    for target in targets:
        after = target.shell(COUNTS).split()[-2:]
        created = int(after[0]) - int(before[target.name][0])
        tallies = target.manage("verify_tallies", capture=True)
        seq = {label: summary(v) for label, v in samples[target.name].items()}
        wrk = {
            label: {
                "requests_per_second": [p["requests_per_second"] for p in passes],
                "median_requests_per_second": statistics.median(
                    p["requests_per_second"] for p in passes
                ),
                "p50_ms": [p["p50_ms"] for p in passes],
                "non_2xx": sum(p["other"] for p in passes),
                "socket_errors": sum(p["socket_errors"] for p in passes),
            }
            for label, passes in throughput[target.name].items()
        }
        trivial_post = seq["trivial_post"]["median_ms"]
        trivial_page = seq["trivial_page"]["median_ms"]
        trivial_rps = wrk["trivial_post"]["median_requests_per_second"]
        result[target.name] = {
            "root": str(target.root),
            "database": target.database,
            "sequential": seq,
            "wrk": wrk,
            "ratios": {
                "activity_post / trivial_post": round(
                    seq["activity_post"]["median_ms"] / trivial_post, 2
                ),
                "activity_post_key / trivial_post": round(
                    seq["activity_post_key"]["median_ms"] / trivial_post, 2
                ),
                "quick_log_post / trivial_page": round(
                    seq["quick_log_post"]["median_ms"] / trivial_page, 2
                ),
                "today_panel / trivial_page": round(
                    seq["today_panel"]["median_ms"] / trivial_page, 2
                ),
                "wrk activity_post / trivial_post": round(
                    wrk["activity_post"]["median_requests_per_second"] / trivial_rps, 2
                ),
                "wrk activity_post_key / trivial_post": round(
                    wrk["activity_post_key"]["median_requests_per_second"]
                    / trivial_rps,
                    2,
                ),
            },
            "checks": {
                "activities_created": created,
                "write_responses_2xx": target.ok_writes,
                "wrk_in_flight_at_the_end": target.in_flight,
                "rows_match": target.ok_writes
                <= created
                <= target.ok_writes + target.in_flight,
                "tallies_match_recount": "All day tallies match" in tallies,
            },
        }
    return result


def profile(args) -> None:
    env = environment(args.database, args.redis)
    root = Path(args.root).resolve()
    subprocess.run(
        [
            str(root / ".venv/bin/python"),
            "manage.py",
            "shell",
            "-c",
            PROFILE % {"n": args.requests},
        ],
        cwd=root,
        env=env | {"CELERY_TASK_ALWAYS_EAGER": "1" if args.eager else "0"},
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    prof = sub.add_parser("profile", help="pyinstrument profile of the activity POST")
    prof.add_argument("--root", default=".")
    prof.add_argument("--database", required=True)
    prof.add_argument("--requests", type=int, default=400)
    prof.add_argument("--eager", action="store_true")
    prof.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument(
        "--target", action="append", help="NAME=ROOT (a checkout); repeat to compare"
    )
    parser.add_argument("--database-prefix", default="c1_writes")
    parser.add_argument("--today", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40, help="per block")
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk pass")
    parser.add_argument("--port", type=int, default=8781)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--output")
    args = parser.parse_args()
    if args.command == "profile":
        profile(args)
        return
    if not args.target:
        parser.error("give at least one --target NAME=ROOT")
    result = measure(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
