"""Benchmark: the admin's organisation view at 100, 1,000 and 10,000 reps.

Run by hand (it is not a test). See bench/README.md. In short:

    .venv/bin/python bench/org.py --databases bench_org100 bench_org1k bench_org10k \
        --baseline /work/base

Each database is seeded beforehand (`seed_demo --reps N --days D`, then ANALYZE). For
each database and each checkout (this one, and `--baseline` if given) it (1) counts the
SQL queries of the admin's pages in-process, then (2) serves every (checkout, database)
pair with its own gunicorn and times, interleaved request by request: the trivial page
(`/accounts/password/change/`), the admin's dashboard (`/targets/dashboard/`: the
baseline's all-teams page of every rep, this checkout's organisation view), the
organisation view searching reps (`?q=a`: every team with an "a" and a page of the
matching reps), its last page of teams, and a team's dashboard (the drill-down). It
prints JSON with medians, spread, page sizes and ratios (and writes --output).
"""

import argparse
import json
import re
import sys
from pathlib import Path

from dashboard import ROOT, machine  # bench/ helpers
from sidebyside import Variant, in_process, time_side_by_side

ADMIN = "anna@example.com"


def org_facts(_argument: dict) -> dict:
    """The data sizes, a team to drill into, and each page's query count (run in the
    checkout being measured)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, Team, User
    from activities.models import Activity, DayTally

    team = Team.objects.order_by("name").first()
    teams = Team.objects.count()
    facts = {
        "reps": User.objects.filter(role=Role.REP, is_active=True).count(),
        "teams": teams,
        "activities": Activity.objects.count(),
        "day_tallies": DayTally.objects.count(),
        "team": team.pk,
        "last_page": max(1, -(-teams // 10)),
        "queries": {},
    }
    client = Client()
    client.force_login(User.objects.get(email=ADMIN))
    client.get("/accounts/password/change/")  # warms the session, translations
    for label, path in pages(facts):
        # One counted request each (the baseline's all-teams page at 10,000 reps takes
        # tens of seconds on a loaded machine: no second one to warm it up)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        facts["queries"][label] = {"status": status, "queries": len(queries)}
    return facts


def pages(facts: dict) -> list[tuple[str, str]]:
    return [
        ("trivial", "/accounts/password/change/"),
        ("admin dashboard", "/targets/dashboard/"),
        ("organisation search", "/targets/dashboard/?q=a"),
        ("organisation last page", f"/targets/dashboard/?page={facts['last_page']}"),
        ("team dashboard", f"/targets/dashboard/?team={facts['team']}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", nargs="+", required=True)
    parser.add_argument("--baseline", type=Path, help="A checkout of the baseline.")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--port", type=int, default=8780)
    parser.add_argument(
        "--budget-seconds",
        type=float,
        default=60,
        help="Stop timing a page of a variant once its samples took this long.",
    )
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    for database in args.databases:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
            raise SystemExit("Give plain database names, e.g. bench_org10k.")
    roots = {"after": ROOT}
    if args.baseline:
        roots = {"before": args.baseline.resolve(), **roots}
    variants = [
        Variant(f"{name}@{database}", root, database)
        for database in args.databases
        for name, root in roots.items()
    ]
    facts = {
        variant.label: in_process(variant.root, variant.database, "org.org_facts", {})
        for variant in variants
    }
    plan = {
        variant.label: [
            (label, ADMIN, path)
            for label, path in pages(facts[variant.label])
            # The baseline has no search or pages: those are the all-teams page again
            if variant.label.startswith("after") or "organisation" not in label
        ]
        for variant in variants
    }
    timings = time_side_by_side(
        variants,
        plan,
        requests=args.requests,
        port=args.port,
        budget_ms={"admin dashboard": int(args.budget_seconds * 1000)},
    )
    ratios = {}
    for variant in variants:
        trivial = timings[f"{variant.label} trivial"]["median_ms"]
        for label, _email, _path in plan[variant.label][1:]:
            ratios[f"{variant.label} {label} / trivial"] = round(
                timings[f"{variant.label} {label}"]["median_ms"] / trivial, 2
            )
    result = {
        "command": " ".join(["python", *sys.argv]),
        "machine": machine(),
        "facts": facts,
        "timings": timings,
        "ratios": ratios,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
