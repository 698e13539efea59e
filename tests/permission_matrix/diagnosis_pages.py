"""Diagnosis pages: a rep's panel (loaded into their results page) and the team funnel."""

from tests.permission_matrix import Row, staff_only, team_a_object
from tests.permission_matrix.targets import rep_pk

ROWS = [
    # Team A's rep's diagnosis: the rep, their manager and the admin; others get a 404.
    Row("diagnosis:panel", team_a_object(200), kwargs=rep_pk),
    # The team funnel: managers (their own teams) and admins; a rep is told no.
    Row("diagnosis:funnel", staff_only(200)),
]
