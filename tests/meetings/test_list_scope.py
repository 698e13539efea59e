"""Issue 18: a manager's meeting list (and the action items that follow it) costs the
manager's scope, not the organisation's: EXPLAIN shows every scan of the meetings table
going by an index to the manager's own meetings."""

import datetime as dt
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import Meeting
from tests import factories
from tests.activities.test_list_scope import organisation, postgres  # noqa: F401
from tests.helpers import api_client_for

TABLE = Meeting._meta.db_table


def meeting_scans(node: dict) -> list[tuple[str, int]]:
    """Each scan of the meetings table in a plan: its kind and the rows it read."""
    scans = []
    if node.get("Relation Name") == TABLE:
        read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        scans.append((node["Node Type"], read * node.get("Actual Loops", 1)))
    for child in node.get("Plans", []):
        scans += meeting_scans(child)
    return scans


def explain(sql: str) -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return meeting_scans(plan[0]["Plan"])


def one_on_ones(reps, per_rep: int) -> None:
    start = timezone.now() + dt.timedelta(days=1)
    Meeting.objects.bulk_create(
        [
            Meeting(
                kind="one_on_one",
                title="One-on-one",
                organiser=rep.team.manager,
                team=rep.team,
                rep=rep,
                starts_at=start + dt.timedelta(hours=index),
                duration_minutes=30,
                video_url="https://meet.example.com/x",
            )
            for rep in reps
            for index in range(per_rep)
        ],
        batch_size=2000,
    )


def test_a_managers_meeting_list_reads_only_the_managers_meetings(postgres):  # noqa: F811
    # Given a team of two reps with 300 one-on-ones each, in an organisation of 160
    # reps with as many (48,000 meetings: the team's are 1.25 % of them)
    managers, members = organisation(teams=80, reps_per_team=2)
    one_on_ones([rep for team in members for rep in team], 300)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    client = api_client_for(managers[0])
    # When the manager lists their meetings
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/meetings/")
    assert response.status_code == 200 and response.json()["count"] == 600
    plans = [explain(q["sql"]) for q in queries.captured_queries if TABLE in q["sql"]]
    scans = [scan for plan in plans for scan in plan]
    # Then no scan reads the table whole, and none reads more than the team's 600
    assert scans and all(kind != "Seq Scan" for kind, _rows in scans), scans
    assert all(rows <= 600 for _kind, rows in scans), scans


def test_the_scope_is_the_same_meetings_as_before(db):
    # Given a manager's one-on-one, a team meeting of their team (organised by an
    # admin), a meeting they attend elsewhere and another team's one-on-one
    managers, members = organisation(teams=2, reps_per_team=1)
    mine = factories.MeetingFactory(rep=members[0][0])
    admin = factories.AdminFactory()
    team_meeting = factories.MeetingFactory(
        kind="team", rep=None, team=members[0][0].team, organiser=admin
    )
    elsewhere = factories.MeetingFactory(rep=members[1][0])
    elsewhere.participants.add(managers[0])
    factories.MeetingFactory(rep=members[1][0])
    # When the manager lists their meetings
    body = api_client_for(managers[0]).get("/api/v1/meetings/").json()
    # Then they see their one-on-one, their team's meeting and the one they attend
    assert {row["id"] for row in body["results"]} == {
        mine.pk,
        team_meeting.pk,
        elsewhere.pk,
    }
