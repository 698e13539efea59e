"""Write volume: wrk posts activities for a minute; afterwards nothing is lost or doubled.

Run by hand (see bench/README.md). It builds its own PostgreSQL database, starts its own
Redis on a spare port (so stopping it harms nobody else), gunicorn and one Celery worker,
all on 127.0.0.1, then runs `wrk` with a Lua script that POSTs /api/v1/activities/ as
several reps, each request with a unique Idempotency-Key. Afterwards it checks:

- no errors: every response a 201;
- the activities in the database == the 201 responses;
- the day tallies == a recount (`manage.py verify_tallies`).

With `--redis-outage` Redis is stopped halfway through and started again after wrk ends:
every POST must still be a 201 (the web never waits on Redis), and the work that could
not be queued is swept once Redis is back (`targets.dip_flags_sweep`).

    .venv/bin/python bench/soak.py --seconds 60 --connections 32
    .venv/bin/python bench/soak.py --seconds 60 --connections 32 --redis-outage
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PASSWORD = "soak-password-1"

LUA = r"""
local tokens = {%(tokens)s}
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  created = 0
  replayed = 0
  client_errors = 0
  server_errors = 0
  math.randomseed(os.time() + id)
end

function request()
  counter = counter + 1
  local token = tokens[(counter + id) %% #tokens + 1]
  local key = string.format("soak-%%d-%%d-%%d", id, counter, math.random(1, 1000000000))
  return wrk.format("POST", "/api/v1/activities/", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Token " .. token,
    ["Idempotency-Key"] = key,
  }, '{"metric": "calls", "quantity": 1}')
end

function response(status, headers, body)
  if status == 201 then
    if headers["Idempotent-Replayed"] then replayed = replayed + 1 end
    created = created + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  else
    client_errors = client_errors + 1
  end
end

function done(summary, latency, requests)
  local totals = {counter = 0, created = 0, replayed = 0, client_errors = 0,
                  server_errors = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format(
    "SOAK {\"sent\": %%d, \"created\": %%d, \"replayed\": %%d, " ..
    "\"client_errors\": %%d, " ..
    "\"server_errors\": %%d, \"socket_errors\": %%d, \"requests\": %%d, " ..
    "\"p50_ms\": %%.2f, \"p99_ms\": %%.2f}\n",
    totals.counter, totals.created, totals.replayed, totals.client_errors,
    totals.server_errors,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def wait_until(check, *, seconds: float = 30, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # still starting
            pass
        time.sleep(0.3)
    raise SystemExit(f"Timed out waiting for {what}")


def redis_server(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_until(
        lambda: (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        ),
        what="Redis",
    )
    return process


def setup_database(name: str, env: dict, reps: int) -> None:
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], env)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    script = f"""
from accounts.models import Role
from accounts.services import team_create, user_create
manager = user_create(email="soak.manager@example.com", first_name="Soak",
    last_name="Manager", role=Role.MANAGER, timezone="Europe/Athens", password="{PASSWORD}")
team = team_create(name="Soak", manager=manager)
for n in range({reps}):
    user_create(email=f"soak{{n}}@example.com", first_name="Rep", last_name=str(n),
        role=Role.REP, team=team, timezone="Europe/Athens", password="{PASSWORD}")
"""
    run([PYTHON, "manage.py", "shell", "-c", script], env)


def count_writes(env: dict) -> tuple[int, int]:
    """(activities stored, Idempotency-Keys recorded): one each per request that wrote."""
    script = (
        "from activities.models import Activity, IdempotentRequest; "
        "print(Activity.objects.count(), IdempotentRequest.objects.count())"
    )
    result = run(
        [PYTHON, "manage.py", "shell", "-c", script],
        env,
        capture_output=True,
        text=True,
    )
    stored, keys = result.stdout.strip().splitlines()[-1].split()
    return int(stored), int(keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="salesteam_soak")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--reps", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--redis-outage", action="store_true")
    args = parser.parse_args()

    redis_url = f"redis://127.0.0.1:{args.redis_port}/0"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "soak-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "REDIS_URL": redis_url,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        # The limits guard against abuse; this is one trusted client writing flat out.
        "API_THROTTLE_USER": "1000000/minute",
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_TOKEN": "1000000/minute",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("CELERY_BROKER_URL", None)

    print(f"Setting up {args.database} with {args.reps} reps …", file=sys.stderr)
    redis = redis_server(args.redis_port)
    setup_database(args.database, env, args.reps)
    processes = []
    with tempfile.TemporaryDirectory() as scratch:
        logs = {
            name: tempfile.TemporaryFile("w+")  # noqa: SIM115 (closed with scratch)
            for name in ("web", "worker")
        }
        try:
            processes.append(
                subprocess.Popen(
                    [
                        str(BIN / "gunicorn"),
                        "salesteam.wsgi",
                        "--workers",
                        str(args.workers),
                        "--bind",
                        f"127.0.0.1:{args.port}",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=logs["web"],
                    stderr=subprocess.STDOUT,
                )
            )
            processes.append(
                subprocess.Popen(
                    [
                        str(BIN / "celery"),
                        "-A",
                        "salesteam",
                        "worker",
                        "--pool=solo",
                        "--concurrency=1",
                        "--loglevel=INFO",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=logs["worker"],
                    stderr=subprocess.STDOUT,
                )
            )
            base = f"http://127.0.0.1:{args.port}"
            wait_until(
                lambda: requests.get(base + "/healthz", timeout=2).ok, what="web"
            )
            tokens = [
                requests.post(
                    base + "/api/v1/auth/token/",
                    json={"email": f"soak{n}@example.com", "password": PASSWORD},
                    timeout=10,
                ).json()["token"]
                for n in range(args.reps)
            ]
            script = Path(scratch) / "post.lua"
            script.write_text(
                LUA % {"tokens": ", ".join(json.dumps(token) for token in tokens)}
            )
            wrk = subprocess.Popen(
                [
                    "wrk",
                    f"-t{args.threads}",
                    f"-c{args.connections}",
                    f"-d{args.seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    str(script),
                    base + "/api/v1/activities/",
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            if args.redis_outage:
                time.sleep(args.seconds / 2)
                redis.terminate()
                redis.wait()
                print("Redis stopped", file=sys.stderr)
            output, _ = wrk.communicate(timeout=args.seconds + 60)
            if args.redis_outage:
                redis = redis_server(args.redis_port)
                print("Redis started again", file=sys.stderr)
            found = re.search(r"^SOAK (\{.*\})$", output, re.MULTILINE)
            if not found:
                raise SystemExit("wrk printed no summary:\n" + output)
            figures = json.loads(found.group(1))
            swept = None
            if args.redis_outage:
                swept = (
                    run(
                        [
                            PYTHON,
                            "manage.py",
                            "shell",
                            "-c",
                            # The hourly task's service, run now rather than at :50.
                            "from targets.services import dip_flags_sweep; "
                            "print(dip_flags_sweep())",
                        ],
                        env,
                        capture_output=True,
                        text=True,
                    )
                    .stdout.strip()
                    .splitlines()[-1]
                )
            stored, keys = count_writes(env)
            tallies = subprocess.run(
                [PYTHON, "manage.py", "verify_tallies"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
            redis.terminate()
        result = {
            "machine": f"{platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
            "seconds": args.seconds,
            "connections": args.connections,
            "gunicorn_workers": args.workers,
            "reps": args.reps,
            "redis_outage": args.redis_outage,
            **figures,
            "requests_per_second": round(figures["requests"] / args.seconds, 1),
            "activities_stored": stored,
            "idempotency_keys_recorded": keys,
            # wrk stops counting at the deadline: requests in flight then were answered
            # (and written) but not counted, so created <= stored <= sent.
            "in_flight_at_the_end": figures["sent"] - figures["created"],
            "nothing_lost_or_doubled": figures["created"] <= stored <= figures["sent"]
            and stored == keys,
            "tallies_match_recount": tallies.returncode == 0,
            "swept_after_outage": swept,
        }
        print(json.dumps(result, indent=2))
        ok = (
            figures["server_errors"] == figures["client_errors"] == 0
            and figures["socket_errors"] == 0
            and result["nothing_lost_or_doubled"]
            and result["tallies_match_recount"]
        )
        if not ok:
            logs["web"].seek(0)
            print(logs["web"].read()[-5000:], file=sys.stderr)
            raise SystemExit(1)


if __name__ == "__main__":
    main()
