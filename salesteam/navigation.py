"""The main navigation, by role. Each app's pages appear here once they exist."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    roles: frozenset[str] = frozenset({"rep", "manager", "admin"})


STAFF = frozenset({"manager", "admin"})
REPS = frozenset({"rep"})
ADMINS = frozenset({"admin"})

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home", "house"),
    NavItem(_("Dashboard"), "targets:dashboard", "speedometer2", roles=STAFF),
    NavItem(_("My results"), "targets:my_results", "graph-up", roles=REPS),
    NavItem(_("Leaderboard"), "targets:leaderboard", "trophy"),
    NavItem(_("Targets"), "targets:list", "bullseye"),
    NavItem(_("Meetings"), "meetings:list", "camera-video"),
    NavItem(_("Team calendar"), "meetings:calendar", "calendar-week"),
    NavItem(_("Check-ins"), "meetings:check_ins", "person-check", roles=STAFF),
    NavItem(_("Kudos"), "targets:kudos", "stars"),
    NavItem(_("Directory"), "directory", "people"),
    NavItem(_("Teams"), "teams", "diagram-3", roles=STAFF),
    NavItem(_("Invitations"), "invitations", "envelope", roles=ADMINS),
    NavItem(_("Audit log"), "audit-log", "journal-text", roles=ADMINS),
]


def role_of(user: User) -> str:
    return "admin" if user.is_admin else user.role


def navigation_for(user: User) -> list[NavItem]:
    role = role_of(user)
    return [item for item in NAV_ITEMS if role in item.roles]
