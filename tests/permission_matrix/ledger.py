"""Where the manager's time goes: managers (their own teams) and admins; a rep is told no."""

from tests.permission_matrix import Row, staff_only

ROWS = [
    Row("attention:ledger", staff_only(200)),
    # A month in the query string changes nothing about who may read the page.
    Row("attention:ledger", staff_only(200), query="?month=2026-10"),
]
