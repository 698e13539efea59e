"""Benchmark: webhook fan-out for 50 reps' activities to 3 subscriptions on 127.0.0.1.

Run by hand (it is not a test). See bench/README.md. In short:

    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/webhooks.py \
        --database st_b1_bench --reps 50 --per-rep 4 --rounds 3

It (1) recreates the database on 127.0.0.1, migrates it and seeds the demo (`seed_demo
--reps N --days 1`), (2) starts a receiver on 127.0.0.1 (http.server in a thread) that
verifies every message with `standardwebhooks`, and a real Celery worker on Redis,
(3) times the write path (an activity written through `activity_log` and announced as
`activity.logged`), interleaving writes that no subscription listens to with writes
that three subscriptions listen to, before the worker starts (so deliveries do not
compete for the cores), (4) per round, writes every rep's activities, then announces
them and times the fan-out until the receiver has verified every message (events × 3),
(5) prints
JSON: machine, sizes, the write path's medians and the fan-out's seconds, throughput and
per-message latency (event committed → message verified).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from dashboard import PSQL, PYTHON, ROOT, database_env, machine, run  # bench/ helpers


def receiver_start(secrets: list[str], arrivals: list, errors: list):
    from standardwebhooks import Webhook

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = dict(self.headers.items())
            for secret in secrets:  # read now: filled once the subscriptions exist
                hook = Webhook(secret)
                try:
                    payload = hook.verify(body, headers)
                except Exception:  # another subscription's secret
                    continue
                arrivals.append((time.time(), payload))
                break
            else:
                errors.append(headers.get("webhook-id"))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="st_b1_bench")
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--per-rep", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--subscriptions", type=int, default=3)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--output")
    parser.add_argument("--reuse", action="store_true")
    options = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL (a Redis database of your own): the worker uses it.")
    env = database_env(options.database) | {
        "SECRET_KEY": "bench-webhooks",
        "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        # The writes queue their work for the worker (database_env makes tasks eager).
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    if not options.reuse:
        run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {options.database}"], env)
        run([*PSQL, "-c", f"CREATE DATABASE {options.database}"], env)
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        run(
            [
                PYTHON,
                "manage.py",
                "seed_demo",
                "--reps",
                str(options.reps),
                "--days",
                "1",
            ],
            env,
        )

    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction

    from accounts.models import Role, User
    from activities.models import Metric
    from activities.services import activity_log
    from core import events
    from integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
    from integrations.webhooks.subscriptions import (
        subscription_create,
        subscription_update,
    )
    from salesteam.celery import app as celery_app

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin = User.objects.filter(role=Role.ADMIN).order_by("pk").first()
    reps = list(
        User.objects.filter(role=Role.REP, is_active=True).order_by("pk")[
            : options.reps
        ]
    )
    calls = Metric.objects.get(slug="calls")
    WebhookSubscription.objects.all().delete()
    WebhookEvent.objects.all().delete()
    arrivals: list = []
    errors: list = []
    secrets: list[str] = []  # the receiver reads them at each message
    server = receiver_start(secrets, arrivals, errors)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    subscriptions = [
        subscription_create(
            by=admin, url=url, events=["activity.logged"], description=f"bench {n}"
        )
        for n in range(options.subscriptions)
    ]
    secrets.extend(subscription.secret for subscription in subscriptions)

    celery_app.control.purge()
    worker = None

    def log_one(rep) -> float:
        started = time.perf_counter()
        with transaction.atomic():
            activity = activity_log(rep=rep, metric=calls, quantity=1)
            # activity_log will announce it itself (helper c1); until then, here.
            events.publish("activity.logged", activity_id=activity.pk)
        return time.perf_counter() - started

    def set_listening(on: bool) -> None:
        for subscription in subscriptions:
            subscription_update(subscription=subscription, by=admin, is_active=on)

    try:
        # Write path: interleaved rounds of one write per rep, unheard and heard.
        write_quiet, write_heard = [], []
        for _round in range(options.rounds):
            set_listening(False)
            write_quiet.extend(log_one(rep) for rep in reps)
            set_listening(True)
            write_heard.extend(log_one(rep) for rep in reps)
        # Only now the worker starts: the write path was timed without deliveries
        # competing for the two cores. It first sends what the heard writes queued.
        worker = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "salesteam",
                "worker",
                "--concurrency",
                str(options.worker_concurrency),
                "--loglevel",
                "WARNING",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )
        time.sleep(6)  # the worker connects and forks
        expected = len(write_heard) * options.subscriptions
        deadline = time.monotonic() + 300
        while len(arrivals) < expected and time.monotonic() < deadline:
            time.sleep(0.1)

        fan_outs = []
        for _round in range(options.rounds):
            arrivals.clear()
            expected = len(reps) * options.per_rep * options.subscriptions
            # The activities are written first; the clock runs from their announcement
            # (outside a transaction, so each is heard at once) to the last message.
            written = [
                activity_log(rep=rep, metric=calls, quantity=1).pk
                for rep in reps
                for _n in range(options.per_rep)
            ]
            committed_at: dict[int, float] = {}
            started = time.time()
            for activity_id in written:
                committed_at[activity_id] = time.time()
                events.publish("activity.logged", activity_id=activity_id)
            announced = time.time() - started
            deadline = time.monotonic() + 600
            while len(arrivals) < expected and time.monotonic() < deadline:
                time.sleep(0.05)
            finished = max(at for at, _payload in arrivals) if arrivals else time.time()
            latencies = [
                at - committed_at[payload["data"]["id"]]
                for at, payload in arrivals
                if payload["data"]["id"] in committed_at
            ]
            fan_outs.append(
                {
                    "events": len(committed_at),
                    "messages_expected": expected,
                    "messages_verified": len(arrivals),
                    "seconds_to_announce": round(announced, 2),
                    "seconds_until_all_verified": round(finished - started, 2),
                    "messages_per_second": round(
                        len(arrivals) / (finished - started), 1
                    ),
                    "latency_median_s": round(statistics.median(latencies), 3),
                    "latency_p90_s": round(percentile(latencies, 0.9), 3),
                    "latency_max_s": round(max(latencies), 3),
                }
            )
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        server.shutdown()

    result = {
        "machine": machine(),
        "reps": len(reps),
        "subscriptions": options.subscriptions,
        "worker_concurrency": options.worker_concurrency,
        "write_path_ms": {
            "no_listener_median": round(statistics.median(write_quiet) * 1000, 2),
            "no_listener_p90": round(percentile(write_quiet, 0.9) * 1000, 2),
            "three_listeners_median": round(statistics.median(write_heard) * 1000, 2),
            "three_listeners_p90": round(percentile(write_heard, 0.9) * 1000, 2),
            "ratio_of_medians": round(
                statistics.median(write_heard) / statistics.median(write_quiet), 2
            ),
            "writes_each": len(write_quiet),
        },
        "fan_out_rounds": fan_outs,
        "signature_failures": len(errors),
        "deliveries_failed": WebhookDelivery.objects.exclude(
            status="succeeded"
        ).count(),
    }
    print(json.dumps(result, indent=2))
    if options.output:
        with open(options.output, "w") as output:
            json.dump(result, output, indent=2)


if __name__ == "__main__":
    main()
