"""Where the manager's time goes: its page and its API, for a team's manager and admins."""

from tests.permission_matrix import API_ANON, Row, everyone, staff_only

TEAM_A_LEDGER = {
    "anonymous": API_ANON,
    "rep": 404,
    "rep_other": 404,
    "manager": 200,
    "manager_other": 404,
    "manager_above": 404,
    "admin": 200,
}

ROWS = [
    # The page: managers (their own teams) and admins; a rep is told no.
    Row("attention:ledger", staff_only(200)),
    Row("attention:ledger", staff_only(200), query="?month=2026-10"),
    # The API without a team: a 400 naming the field, for anyone signed in.
    Row("api-attention", everyone(400, anonymous=API_ANON)),
    # Team A's month: its manager and admins; a rep (even of team A), team B and the
    # manager two levels up get a 404.
    Row(
        "api-attention",
        TEAM_A_LEDGER,
        data=lambda world: {"team": world["team"].pk, "month": "2026-10"},
    ),
]
