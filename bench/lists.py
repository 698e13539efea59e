"""Benchmark: the API's list endpoints at two organisation sizes, before and after.

Run by hand (it is not a test). See bench/README.md. In short:

    .venv/bin/python bench/lists.py --databases salesteam_bench salesteam_bench_500 \
        --baseline /work/base

For each database (seeded beforehand with `seed_demo --reps N --days D` and ANALYZEd) and
each checkout (this one, and `--baseline` if given) it (1) counts the SQL queries of every
list endpoint per role in-process and EXPLAIN ANALYZEs the queries of the manager's
activity list, summing the rows each plan read from the activities table, then (2) serves
every (checkout, database) pair with its own gunicorn and times every list, interleaved
request by request, against the trivial page. It prints JSON (and writes --output).
"""

import argparse
import json
import re
import sys
from pathlib import Path

from dashboard import ROOT, machine  # bench/ helpers
from sidebyside import Variant, in_process, time_side_by_side

MANAGER = "mark@example.com"
REP = "eleni@example.com"
ADMIN = "anna@example.com"
LISTS = [
    "activities",
    "deals",
    "contacts",
    "targets",
    "flags",
    "kudos",
    "improvement-plans",
    "meetings",
    "action-items",
    "notifications",
    "users",
    "teams",
]


ONLY: list[str] = []  # --only: the pages to time (and the trivial page)


def plan() -> list[tuple[str, str, str]]:
    pages = [("trivial", MANAGER, "/accounts/password/change/")]
    pages += [(f"manager {name}", MANAGER, f"/api/v1/{name}/") for name in LISTS]
    pages += [
        ("rep activities", REP, "/api/v1/activities/"),
        ("admin activities", ADMIN, "/api/v1/activities/"),
    ]
    if ONLY:
        pages = [page for page in pages if page[0] == "trivial" or page[0] in ONLY]
    return pages


def _rows_read(plan_node: dict, table: str) -> int:
    """Rows the scans of `table` returned in an EXPLAIN ANALYZE plan (rows × loops),
    plus the rows their filters removed: what the plan read of the table."""
    rows = 0
    if plan_node.get("Relation Name") == table:
        loops = plan_node.get("Actual Loops", 1)
        rows += (
            plan_node.get("Actual Rows", 0) + plan_node.get("Rows Removed by Filter", 0)
        ) * loops
    for child in plan_node.get("Plans", []):
        rows += _rows_read(child, table)
    return rows


def list_counts(_argument: dict) -> dict:
    """Query counts of every list (per role), and the manager's activity list's plans.

    Runs in the checkout being measured (see sidebyside.in_process)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from activities.models import Activity

    result: dict = {"queries": {}, "explain": []}
    for label, email, path in plan():
        client = Client()
        client.force_login(User.objects.get(email=email))
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        result["queries"][label] = {"status": status, "queries": len(queries)}
        if label == "manager activities":
            activity_sql = [
                query["sql"]
                for query in queries.captured_queries
                if Activity._meta.db_table in query["sql"]
            ]
    manager = User.objects.get(email=MANAGER)
    team_ids = [manager.pk, *manager.managed_teams.values_list("members", flat=True)]
    result["team_activities"] = Activity.objects.filter(rep_id__in=team_ids).count()
    result["all_activities"] = Activity.objects.count()
    with connection.cursor() as cursor:
        for sql in activity_sql:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            explained = cursor.fetchone()[0]
            explained = (
                json.loads(explained) if isinstance(explained, str) else explained
            )
            top = explained[0]
            result["explain"].append(
                {
                    "sql": sql[:120] + "…",
                    "rows_read": _rows_read(top["Plan"], Activity._meta.db_table),
                    "execution_ms": round(top["Execution Time"], 1),
                }
            )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", nargs="+", required=True)
    parser.add_argument("--baseline", type=Path, help="A checkout of the baseline.")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--port", type=int, default=8770)
    parser.add_argument(
        "--only",
        nargs="+",
        default=[],
        help='Time only these lists (e.g. "manager activities"), and the trivial page.',
    )
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    ONLY[:] = args.only
    for database in args.databases:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
            raise SystemExit("Give plain database names, e.g. salesteam_bench.")
    roots = {"after": ROOT}
    if args.baseline:
        roots = {"before": args.baseline.resolve(), **roots}
    variants = [
        Variant(f"{name}@{database}", root, database)
        for database in args.databases
        for name, root in roots.items()
    ]
    result: dict = {
        "command": " ".join(["python", *sys.argv]),
        "machine": machine(),
        "in_process": {
            variant.label: in_process(
                variant.root, variant.database, "lists.list_counts", {}
            )
            for variant in variants
        },
    }
    timings = time_side_by_side(
        variants,
        {variant.label: plan() for variant in variants},
        requests=args.requests,
        port=args.port,
    )
    result["timings"] = timings
    ratios = {}
    for variant in variants:
        trivial = timings[f"{variant.label} trivial"]["median_ms"]
        for page, *_rest in plan()[1:]:
            ratios[f"{variant.label} {page} / trivial"] = round(
                timings[f"{variant.label} {page}"]["median_ms"] / trivial, 2
            )
    if len(args.databases) == 2:
        small, large = args.databases
        for name in roots:
            for page, *_rest in plan()[1:]:
                ratios[f"{name} {page}: {large} / {small}"] = round(
                    timings[f"{name}@{large} {page}"]["median_ms"]
                    / timings[f"{name}@{small} {page}"]["median_ms"],
                    2,
                )
    result["ratios"] = ratios
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
