"""Two-way calendars (integrations.calendars): each person's own page, nobody else's.

The pages take no id: every viewer reaches only their own connection, so there is
nothing of another person to 404 on.
"""

from tests.permission_matrix import Row, everyone

ROWS = [
    Row("integrations:calendar", everyone(200)),
    # A bad form is shown again with its errors (200), never saved.
    Row(
        "integrations:calendar",
        everyone(200),
        method="post",
        data=lambda world: {"server_url": "not a url", "username": ""},
    ),
    Row("integrations:calendar_sync", everyone(302), method="post"),
    Row("integrations:calendar_disconnect", everyone(302), method="post"),
]
