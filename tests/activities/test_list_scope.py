"""Issue 18, point 2: a list costs the viewer's scope, not the organisation's size.

On PostgreSQL a manager's activity list counts only the team's rows and reads each
page as the first rows of each rep, merged (core/api_pagination.py): EXPLAIN shows it.
The pages are exactly those of the plain query. Query counts are pinned at two sizes.
"""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, Source
from tests import factories
from tests.helpers import api_client_for, missing, uses_postgres


def bulk_activities(reps, per_rep: int, *, start=None, step_minutes: int = 7) -> None:
    """`per_rep` calls of each rep, one every few minutes back from `start`; every
    third one shares its timestamp with the previous one (ties break by id)."""
    metric = factories.metric("calls")
    start = start or timezone.now() - dt.timedelta(hours=1)
    rows = []
    for rep in reps:
        for index in range(per_rep):
            at = start - dt.timedelta(minutes=step_minutes * (index - index // 3))
            rows.append(
                Activity(
                    rep=rep,
                    metric=metric,
                    occurred_at=at,
                    local_date=at.date(),
                    source=Source.API,
                )
            )
    Activity.objects.bulk_create(rows, batch_size=2000)


def organisation(*, teams: int, reps_per_team: int):
    """`teams` teams with their managers and reps; returns (managers, reps by team)."""
    managers, members = [], []
    for _ in range(teams):
        manager = factories.ManagerFactory()
        team = factories.TeamFactory(manager=manager)
        managers.append(manager)
        members.append([factories.RepFactory(team=team) for _ in range(reps_per_team)])
    return managers, members


def scans_of(node: dict, table: str) -> list[tuple[str, int]]:
    """Each scan of `table` in a plan: its kind and the rows it read (rows × loops,
    and what its filter removed)."""
    scans = []
    if node.get("Relation Name") == table:
        read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        scans.append((node["Node Type"], read * node.get("Actual Loops", 1)))
    for child in node.get("Plans", []):
        scans += scans_of(child, table)
    return scans


def explain_scans(sql: str) -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return scans_of(plan[0]["Plan"], Activity._meta.db_table)


def explain_text(queries) -> str:
    sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postgres(db):
    if not uses_postgres():
        missing(
            "a manager's pages per rep and their EXPLAIN need PostgreSQL (set DATABASE_URL)",
            required_by="REQUIRE_SERVICES",
        )


def test_a_managers_activity_list_reads_only_the_teams_rows(postgres):
    # Given a team of three reps with 300 calls each, in an organisation of 60 reps
    # with 300 calls each (18,000 rows: the team's are 5 % of them)
    managers, members = organisation(teams=7, reps_per_team=3)
    others = [rep for team in members[1:] for rep in team]
    others += [factories.RepFactory() for _ in range(57 - len(others))]
    bulk_activities(members[0] + others, 300)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Activity._meta.db_table}")
    client = api_client_for(managers[0])
    # When the manager lists the activities, two pages of them
    for page in (1, 2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/activities/", {"page": page})
        assert response.status_code == 200 and response.json()["count"] == 900
        plans = [
            explain_scans(query["sql"])
            for query in queries.captured_queries
            if Activity._meta.db_table in query["sql"]
        ]
        # Then the count and the page are two queries, and neither reads the table
        # whole: every scan of it goes by an index to the team's rows (or to the
        # rows of the page by id), and none reads more than the team's 900 rows
        assert len(plans) == 2, plans
        scans = [scan for plan in plans for scan in plan]
        assert scans and all(kind != "Seq Scan" for kind, _rows in scans), scans
        assert all(rows <= 900 for _kind, rows in scans), explain_text(queries)
        assert sum(rows for _kind, rows in plans[0]) == 900  # the count: the team's


def test_partitioned_pages_are_the_plain_querys_pages(postgres):
    # Given a manager's team of three (calls at shared timestamps), another team,
    # and the manager's own entries
    managers, members = organisation(teams=2, reps_per_team=3)
    bulk_activities(members[0], 23)
    bulk_activities(members[1], 30)
    bulk_activities([managers[0]], 5, step_minutes=11)
    factories.ActivityFactory(rep=members[0][1], metric=factories.metric("emails"))
    client = api_client_for(managers[0])
    scope = [managers[0].pk, *(rep.pk for rep in members[0])]
    for params in (
        {"page_size": 7},
        {"page_size": 10, "metric": "calls"},
        {"page_size": 4, "user": members[0][2].pk},
        {"page_size": 500},
    ):
        expected = Activity.objects.filter(rep_id__in=scope).order_by(
            "-occurred_at", "-id"
        )
        if "metric" in params:
            expected = expected.filter(metric__slug=params["metric"])
        if "user" in params:
            expected = expected.filter(rep_id=params["user"])
        expected = list(expected.values_list("pk", flat=True))
        seen, page = [], 1
        while True:
            body = client.get("/api/v1/activities/", params | {"page": page}).json()
            assert body["count"] == len(expected)
            seen += [row["id"] for row in body["results"]]
            if not body["next"]:
                break
            page += 1
        # Then every page holds exactly the plain query's rows, in its order
        assert seen == expected, params
    assert client.get("/api/v1/activities/", {"page": 99}).status_code == 404


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
# Queries per list (force_authenticate: no session or token query): the count and
# the page, plus what each list prefetches. Pinned at two sizes below.
EXPECTED = {
    "activities": 2,
    "deals": 2,
    "contacts": 2,
    "targets": 2,
    "flags": 2,
    "kudos": 2,
    "improvement-plans": 3,
    "meetings": 4,  # + participants and action items prefetched
    "action-items": 2,
    "notifications": 2,
    "users": 2,
    "teams": 2,
}


def grow(members, *, calls: int, targets: bool = True) -> None:
    """History for every list: calls, a deal, a contact, a target (once), an open
    flag with its plan, kudos, a notification, a one-on-one with an action item."""
    from accounts.models import Notification
    from coaching.models import ImprovementPlan
    from targets.models import Flag, Kudos

    revenue = factories.metric("revenue")
    for team in members:
        bulk_activities(team, calls)
        for rep in team:
            factories.DealFactory(rep=rep)
            factories.ContactFactory(owner=rep)
            if targets:
                factories.TargetFactory(rep=rep)
            start = dt.date(2026, 1, 1) + dt.timedelta(days=31 * Flag.objects.count())
            flag = Flag.objects.create(
                rep=rep,
                kind="below_quota",
                metric=revenue,
                period="month",
                period_start=start,
                period_end=start + dt.timedelta(days=27),
                target=10000,
                actual=6400,
                percent=64,
            )
            ImprovementPlan.objects.create(
                rep=rep,
                flag=flag,
                opened_at=timezone.now(),
                review_until=start + dt.timedelta(days=90),
            )
            Kudos.objects.create(rep=rep, message="Well done")
            Notification.objects.create(
                user=rep, key=f"k{flag.pk}", kind="kudos", title="Well done"
            )
            organiser = rep.team.manager if rep.team_id else factories.AdminFactory()
            meeting = factories.MeetingFactory(rep=rep, organiser=organiser)
            factories.ActionItemFactory(meeting=meeting)


@pytest.mark.parametrize("name", LISTS)
def test_list_query_counts_do_not_grow_with_the_organisation(
    db, name, django_assert_num_queries
):
    # Given an organisation of two teams of two, then of six teams of five with
    # ten times the history: the same number of queries for each role
    admin = factories.AdminFactory()
    managers, members = organisation(teams=2, reps_per_team=2)
    grow(members, calls=3)
    grow([[admin, managers[0]]], calls=2)  # their own notifications and meetings
    viewers = {"admin": admin, "manager": managers[0], "rep": members[0][0]}
    for _size in ("small", "large"):
        for role, viewer in viewers.items():
            client = api_client_for(viewer)
            with django_assert_num_queries(EXPECTED[name]):
                response = client.get(f"/api/v1/{name}/", {"page_size": 5})
            assert response.status_code == 200, (role, response.content[:200])
        more_managers, more = organisation(teams=4, reps_per_team=5)
        grow(more, calls=30)
        grow(members, calls=30, targets=False)
