"""Targets: the targets page, the Today panel, "I agree", the targets and attainment API.
Targets belong to team A's rep; only that rep may agree to them."""

from tests import factories
from tests.permission_matrix import API_ANON, Row, everyone, team_a_object


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
]
