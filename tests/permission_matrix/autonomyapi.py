"""The autonomy changes API: the history as the visibility policy scopes it; a level is
changed by the rep's manager or an admin (a rep is told no, anyone else finds nobody)."""

from accounts.models import AutonomyLevel
from tests.permission_matrix import API_ANON, Row, everyone


def move_team_a_rep(world) -> dict:
    """One level up from where the rep stands now (the viewers take turns on one rep)."""
    rep = world["rep"]
    rep.refresh_from_db()
    levels = AutonomyLevel.values
    up = levels[levels.index(rep.autonomy_level) + 1]
    return {"user": rep.pk, "to_level": up, "reason": "Good month"}


def move_team_a_manager(world) -> dict:
    return {"user": world["manager"].pk, "to_level": "ramping", "reason": "Good month"}


ROWS = [
    Row("api-autonomy-change-list", everyone(200, anonymous=API_ANON)),
    Row(
        "api-autonomy-change-list",
        {
            "anonymous": API_ANON,
            "rep": 403,
            "rep_other": 404,
            "manager": 201,
            "manager_other": 404,
            "manager_above": 404,
            "admin": 201,
        },
        method="post",
        data=move_team_a_rep,
    ),
    # A manager has no autonomy level: those who manage them get a 400 on `user`.
    Row(
        "api-autonomy-change-list",
        {
            "anonymous": API_ANON,
            "rep": 404,
            "rep_other": 404,
            "manager": 403,
            "manager_other": 404,
            "manager_above": 400,
            "admin": 400,
        },
        method="post",
        data=move_team_a_manager,
    ),
]
