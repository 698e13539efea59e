"""accounts 0006: team names unique ignoring case, refused while existing names clash."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Team
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("accounts", "0005_historicalteam_quota_metric_team_quota_metric")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def test_the_migration_names_teams_whose_names_differ_only_in_case():
    # Given the database before 0006, with "Alpha" and "alpha" led by two managers
    migrate(BEFORE)
    try:
        alpha = factories.TeamFactory(name="Alpha")
        lower = factories.TeamFactory(name="alpha")

        # When migrating, then it stops and names both teams
        with pytest.raises(RuntimeError) as refused:
            migrate(None)
        assert f"#{alpha.pk} 'Alpha'" in str(refused.value)
        assert f"#{lower.pk} 'alpha'" in str(refused.value)

        # And once one is renamed it runs, and the database refuses a new clash
        Team.objects.filter(pk=lower.pk).update(name="Alpha West")
        migrate(None)
        with pytest.raises(Exception, match="(?i)unique"):
            Team.objects.create(name="ALPHA", manager=alpha.manager)
    finally:
        Team.objects.filter(name__iexact="alpha").exclude(name="Alpha").delete()
        migrate(None)
