"""The diagnosis API: a rep asks about themselves, a manager about their teams' reps."""

from tests.permission_matrix import API_ANON, Row, everyone, team_a_object

ROWS = [
    # Without `user`: the viewer's own diagnosis, for everyone signed in.
    Row("api-diagnosis", everyone(200, anonymous=API_ANON)),
    # Team A's rep: the rep, their manager and admins; team B and the manager two
    # levels up get a 404.
    Row(
        "api-diagnosis",
        team_a_object(anonymous=API_ANON),
        data=lambda world: {"user": world["rep"].pk},
    ),
    # Team A as a list: only its manager and admins (a rep never sees teammates' rows).
    Row(
        "api-diagnosis",
        {
            "anonymous": API_ANON,
            "rep": 404,
            "rep_other": 404,
            "manager": 200,
            "manager_other": 404,
            "manager_above": 404,
            "admin": 200,
        },
        data=lambda world: {"team": world["team"].pk},
    ),
]
