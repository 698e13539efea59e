"""Moving improvement plans from meetings to coaching changes the state, never the tables."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.models import ImprovementPlan, PlanGoal
from targets.models import Flag, FlagKind
from tests import factories

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BEFORE_THE_MOVE = [("meetings", "0004_plan_invitation_sent_at"), ("coaching", None)]
# The move itself ends here; later coaching migrations change columns as usual.
AFTER_THE_MOVE = [("coaching", "0002_protect_history")]
DDL = ("CREATE TABLE", "DROP TABLE", "ALTER TABLE", "RENAME TO")
# Tables and columns of later meetings migrations: running back to before the move drops
# them and running forward makes them again, which is not the move touching a table.
LATER_TABLES = ("meetings_externalbusy", 'COLUMN "reason"', '"rotation_times"')


def migrate(targets) -> list[str]:
    """Migrate to `targets` (None: the latest of every app); the SQL that ran."""
    executor = MigrationExecutor(connection)
    with CaptureQueriesContext(connection) as queries:
        executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return [query["sql"] for query in queries]


def a_plan_with_a_goal() -> ImprovementPlan:
    rep = factories.RepFactory()
    calls = factories.metric("calls")
    flag = Flag.objects.create(
        rep=rep,
        metric=calls,
        kind=FlagKind.BELOW_QUOTA,
        period="month",
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        actual=Decimal(40),
        target=Decimal(100),
        percent=40,
    )
    plan = ImprovementPlan.objects.create(
        rep=rep,
        flag=flag,
        opened_at=timezone.now(),
        review_until=dt.date(2026, 12, 30),
    )
    PlanGoal.objects.create(plan=plan, metric=calls, period="day", amount=25)
    return plan


def test_the_move_runs_back_and_forward_on_postgresql_without_touching_a_table(
    require_postgres,
):
    # Given a plan with a goal, written under the coaching app
    plan = a_plan_with_a_goal()
    tables = set(connection.introspection.table_names())

    try:
        # When the migrations run back to before the move (from just after it)
        migrate(AFTER_THE_MOVE)
        backward = migrate(BEFORE_THE_MOVE)

        # Then the same rows are the meetings app's plans again, and no table changed
        old_apps = (
            MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE[:1]).apps
        )
        old_plans = old_apps.get_model("meetings", "ImprovementPlan").objects
        assert old_plans.get(pk=plan.pk).goals.count() == 1
        assert ContentType.objects.filter(
            app_label="meetings", model="improvementplan"
        ).exists()
    finally:
        # And when they run forward again
        forward = migrate(AFTER_THE_MOVE)
        migrate(None)

    # Then the plan is coaching's once more, still in the same tables
    assert ImprovementPlan.objects.get(pk=plan.pk).goals.count() == 1
    assert set(connection.introspection.table_names()) == tables
    assert ImprovementPlan._meta.db_table == "meetings_improvementplan"
    assert ContentType.objects.get_for_model(ImprovementPlan).app_label == "coaching"
    assert not [
        sql
        for sql in backward + forward
        if sql.upper().startswith(DDL) and not any(t in sql for t in LATER_TABLES)
    ]


@pytest.mark.django_db
def test_a_plan_opened_by_code_from_before_goals_from_gets_the_database_default():
    # Code deployed before the column does not name it in its INSERT: the database
    # must fill it in, or that code cannot open a plan during a rolling deploy.
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT column_default FROM information_schema.columns"
                " WHERE table_name = 'meetings_improvementplan'"
                " AND column_name = 'goals_from'"
            )
            (default,) = cursor.fetchone()
        else:
            cursor.execute("PRAGMA table_info(meetings_improvementplan)")
            default = {row[1]: row[4] for row in cursor.fetchall()}["goals_from"]
    assert default is not None and "''" in default
