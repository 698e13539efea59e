"""The permission matrix: every URL pattern × every kind of viewer → expected status.

Each app has a module here with `ROWS`. `tests/test_permission_matrix.py` checks that every
URL pattern of the project has a row (Zulip-style: a new URL without one fails the run) and
requests each row as each viewer.

A row names a URL pattern and, for patterns with arguments, builds them from the `world`:
two teams, each with a manager and a rep, plus an admin. Objects in a row belong to team A,
so "rep_other" and "manager_other" (team B) must get a 404, never a 403.

Team A's manager is a member of a third team, led by "manager_above". Scope goes one level
down (see `accounts.permissions`): the manager above sees team A's manager's own records
but not those of team A's rep, so for team A's objects they get a 404 like team B.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

VIEWERS = [
    "anonymous",
    "rep",
    "rep_other",
    "manager",
    "manager_other",
    "manager_above",
    "admin",
]

LOGIN = 302  # anonymous users are sent to the login page
API_ANON = (401, 403)


@dataclass
class Row:
    name: str
    expect: dict[str, int | tuple[int, ...]]
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[dict], dict] | None = None
    query: str = ""


def everyone(status: int, anonymous: int | tuple[int, ...] = LOGIN) -> dict:
    return dict.fromkeys(VIEWERS, status) | {"anonymous": anonymous}


def staff_only(status: int = 200, *, others: int = 403, anonymous=LOGIN) -> dict:
    """Pages for managers and admins (a rep is told no: the page exists for everyone)."""
    return {
        "anonymous": anonymous,
        "rep": others,
        "rep_other": others,
        "manager": status,
        "manager_other": status,
        "manager_above": status,
        "admin": status,
    }


def admin_only(status: int = 200, *, others: int = 403, anonymous=LOGIN) -> dict:
    return dict.fromkeys(VIEWERS, others) | {
        "anonymous": anonymous,
        "admin": status,
    }


def team_a_object(
    status: int = 200, *, anonymous=LOGIN, rep: int | None = None
) -> dict:
    """An object of team A's rep: the rep and their manager see it; team B gets 404.

    So does the manager above team A's manager: two levels down is out of scope.
    """
    return {
        "anonymous": anonymous,
        "rep": status if rep is None else rep,
        "rep_other": 404,
        "manager": status,
        "manager_other": 404,
        "manager_above": 404,
        "admin": status,
    }


def team_a_manager_object(
    status: int = 200, *, anonymous=LOGIN, manager: int | None = None
) -> dict:
    """An object of team A's manager's own: they and the manager above see it.

    Team A's manager is, for their own records, like a rep of the team above: their
    own rep and team B get a 404.
    """
    return {
        "anonymous": anonymous,
        "rep": 404,
        "rep_other": 404,
        "manager": status if manager is None else manager,
        "manager_other": 404,
        "manager_above": status,
        "admin": status,
    }
