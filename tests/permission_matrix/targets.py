"""Targets: the targets page, the Today panel, "I agree", the targets and attainment API.
Targets belong to team A's rep; only that rep may agree to them."""

from tests import factories
from tests.permission_matrix import (
    API_ANON,
    Row,
    everyone,
    staff_only,
    team_a_object,
)


def rep_pk(world) -> dict:
    return {"pk": world["rep"].pk}


def target_pk(world) -> dict:
    return {"pk": factories.TargetFactory(rep=world["rep"]).pk}


ROWS = [
    Row("targets:list", everyone(200)),
    Row("targets:today_panel", everyone(200)),
    Row(
        "targets:agree",
        team_a_object(302) | {"manager": 403, "admin": 403},
        kwargs=target_pk,
        method="post",
    ),
    Row("target-list", everyone(200, anonymous=API_ANON)),
    Row("target-detail", team_a_object(200, anonymous=API_ANON), kwargs=target_pk),
    Row(
        "target-acknowledge",
        team_a_object(200, anonymous=API_ANON) | {"manager": 403, "admin": 403},
        kwargs=target_pk,
        method="post",
    ),
    Row("api-attainment", everyone(200, anonymous=API_ANON)),
    # The dashboard (issue 5): managers see their teams, admins all; a rep is told no.
    # `?team=` of another team is a 404 (tests/targets/test_dashboard_views.py).
    Row("targets:dashboard", staff_only(200)),
    Row("targets:dashboard_csv", staff_only(200)),
    # The leaderboard of the viewer's own team (reps: while the team allows it).
    Row("targets:leaderboard", everyone(200)),
    Row("targets:my_results", everyone(200)),
    # Team A's rep: their manager and the admin see it; team B gets a 404.
    Row("targets:rep_results", team_a_object(200), kwargs=rep_pk),
    Row("targets:agree_targets", team_a_object(200, rep=403), kwargs=rep_pk),
]
