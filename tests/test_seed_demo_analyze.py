"""seed_demo ends with ANALYZE, so a freshly seeded database has planner statistics."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext


@pytest.mark.django_db
def test_seed_demo_ends_with_analyze():
    with CaptureQueriesContext(connection) as queries:
        call_command("seed_demo", reps=12, days=2, verbosity=0)
    assert queries.captured_queries[-1]["sql"] == "ANALYZE"
