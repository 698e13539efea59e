"""Benchmark: two-way CalDAV sync for N reps against a local Radicale.

Run by hand (it is not a test). See bench/README.md. In short:

    .venv/bin/python bench/calendar_sync.py --database salesteam_bench_caldav --reps 50

It (1) recreates the database on 127.0.0.1 and migrates it, (2) starts Radicale on
127.0.0.1 (a free port, a temporary folder, one htpasswd user and calendar per rep),
(3) in-process, creates N reps (teams of ten with their manager), each with three
one-on-ones, a weekly series and two outside events in their own calendar, and
connects each rep's calendar, (4) times, rep after rep as a worker would, the first
sync of all N (everything written, the outside events read), then `--rounds` rounds of
a sync with nothing changed and of a sync after one meeting per rep moved, and prints
JSON: machine, sizes, queries and HTTP requests per sync, medians and spread.
Nothing here talks to anything but 127.0.0.1.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from dashboard import PSQL, PYTHON, ROOT, database_env, machine, run  # bench/ helpers

# Not named caldav.py: with bench/ on the path that would hide the library.
sys.path.insert(0, str(ROOT))
from tests.integrations.calendars.radicale import free_port


def start_radicale(folder: Path, users: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    (folder / "users").write_text("".join(f"{user}:pw\n" for user in users))
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(folder / "storage"),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(folder / "users"),
            "--auth-htpasswd-encryption",
            "plain",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import niquests

    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            niquests.get(url, timeout=1)
            return process, url
        except niquests.exceptions.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("Radicale did not start")


def make_calendar(url: str, user: str) -> str:
    import niquests

    calendar = f"{url}{user}/work/"
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
        "<D:set><D:prop><D:displayname>Work</D:displayname></D:prop></D:set>"
        "</C:mkcalendar>"
    )
    niquests.request("MKCALENDAR", calendar, data=body, auth=(user, "pw"), timeout=10)
    return calendar


def outside_event(calendar: str, user: str, start: dt.datetime) -> None:
    import niquests

    uid = uuid.uuid4().hex
    end = start + dt.timedelta(hours=1)
    ical = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:bench\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{end:%Y%m%dT%H%M%SZ}\r\n"
        "SUMMARY:Busy\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    niquests.put(
        f"{calendar}{uid}.ics",
        data=ical.encode(),
        headers={"Content-Type": "text/calendar"},
        auth=(user, "pw"),
        timeout=10,
    )


def spread(samples: list[float]) -> dict:
    return {
        "median_s": round(statistics.median(samples), 3),
        "min_s": round(min(samples), 3),
        "max_s": round(max(samples), 3),
        "runs": len(samples),
    }


def measure(env: dict, reps: int, rounds: int) -> dict:
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Role, Team, User
    from integrations.calendars import client as caldav_client
    from integrations.calendars import receivers
    from integrations.calendars.connections import calendar_connect
    from integrations.calendars.sync import calendar_sync
    from meetings import services
    from meetings.models import ExternalBusy, MeetingKind

    folder = Path(tempfile.mkdtemp(prefix="bench-caldav-"))
    users = [f"rep{i}" for i in range(reps)]
    radicale, url = start_radicale(folder, users)
    http_requests = 0
    real_request = caldav_client.caldav.DAVClient.request

    def counted_request(self, *args, **kwargs):
        nonlocal http_requests
        http_requests += 1
        return real_request(self, *args, **kwargs)

    caldav_client.caldav.DAVClient.request = counted_request
    # Syncs are run here one by one, as a worker would; no task goes to a broker.
    receivers.enqueue = lambda *args, **kwargs: False
    try:
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        day = now + dt.timedelta(days=1)
        people, connections = [], []
        manager = None
        team = None
        started = time.perf_counter()
        for i, user in enumerate(users):
            if i % 10 == 0:
                manager = User.objects.create_user(
                    email=f"manager{i}@bench.example",
                    password="x",
                    role=Role.MANAGER,
                    timezone="UTC",
                    work_days=[1, 2, 3, 4, 5, 6, 7],
                )
                team = Team.objects.create(name=f"Bench {i}", manager=manager)
            rep = User.objects.create_user(
                email=f"{user}@bench.example",
                password="x",
                role=Role.REP,
                team=team,
                timezone="UTC",
                work_days=[1, 2, 3, 4, 5, 6, 7],
            )
            for hour in range(3):
                services.meeting_schedule(
                    organiser=manager,
                    kind=MeetingKind.ONE_ON_ONE,
                    title=f"One-on-one {hour}",
                    starts_at=day + dt.timedelta(hours=hour),
                    duration_minutes=30,
                    participants=[rep],
                )
            services.meeting_schedule(
                organiser=manager,
                kind=MeetingKind.ONE_ON_ONE,
                title="Weekly",
                starts_at=day + dt.timedelta(hours=5),
                duration_minutes=30,
                participants=[rep],
                recurrence="weekly",
            )
            calendar = make_calendar(url, user)
            for hours in (30, 54):
                outside_event(calendar, user, now + dt.timedelta(hours=hours))
            people.append(rep)
        setup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for user, rep in zip(users, people, strict=True):
            connections.append(
                calendar_connect(
                    person=rep,
                    server_url=url,
                    username=user,
                    password="pw",
                    calendar_url=f"{url}{user}/work/",
                ).pk
            )
        connect_seconds = time.perf_counter() - started

        def sync_all(label: str) -> dict:
            nonlocal http_requests
            http_requests = 0
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                written = sum(
                    calendar_sync(connection_id=pk).written for pk in connections
                )
                seconds = time.perf_counter() - started
            print(f"{label}: {seconds:.2f} s, {written} written", flush=True)
            return {
                "seconds": seconds,
                "written": written,
                "queries_per_rep": len(queries) / reps,
                "http_per_rep": http_requests / reps,
            }

        first = sync_all("first sync")
        unchanged, changed = [], []
        for round_number in range(rounds):
            unchanged.append(sync_all("nothing changed"))
            for rep in people:
                meeting = rep.meetings.filter(series__isnull=True).order_by("pk")[0]
                services.meeting_update(
                    meeting=meeting,
                    by=meeting.organiser,
                    starts_at=meeting.starts_at + dt.timedelta(minutes=30),
                    now=now,
                )
            changed.append(sync_all(f"one meeting moved per rep ({round_number})"))
        return {
            "reps": reps,
            "meetings_per_rep": 3,
            "series_per_rep": 1,
            "outside_events_per_rep": 2,
            "busy_rows": ExternalBusy.objects.count(),
            "setup_s": round(setup_seconds, 1),
            "connect_all_s": round(connect_seconds, 2),
            "first_sync_all": {
                "seconds": round(first["seconds"], 2),
                "written": first["written"],
                "queries_per_rep": first["queries_per_rep"],
                "http_per_rep": first["http_per_rep"],
            },
            "unchanged_sync_all": spread([r["seconds"] for r in unchanged])
            | {
                "queries_per_rep": unchanged[-1]["queries_per_rep"],
                "http_per_rep": unchanged[-1]["http_per_rep"],
            },
            "one_moved_sync_all": spread([r["seconds"] for r in changed])
            | {
                "written": changed[-1]["written"],
                "queries_per_rep": changed[-1]["queries_per_rep"],
                "http_per_rep": changed[-1]["http_per_rep"],
            },
        }
    finally:
        radicale.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="salesteam_bench_caldav")
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    env = {"SECRET_KEY": "bench-caldav-" + "x" * 40} | database_env(args.database)
    run([*PSQL, "-c", f"DROP DATABASE IF EXISTS {args.database}"], env)
    run([*PSQL, "-c", f"CREATE DATABASE {args.database}"], env)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    result = {"machine": machine(), "caldav": measure(env, args.reps, args.rounds)}
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
