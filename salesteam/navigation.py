"""The main navigation, by role: a few top-level links and three menus."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User

EVERYONE = frozenset({"rep", "manager", "admin"})
STAFF = frozenset({"manager", "admin"})
REPS = frozenset({"rep"})
ADMINS = frozenset({"admin"})


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str
    roles: frozenset[str] = EVERYONE
    menu: str | Promise = ""  # items sharing a menu label form one dropdown
    also: tuple[str, ...] = ()  # other URL names whose pages belong to this item


MEETINGS = _("Meetings")
TEAM = _("Team")
ADMIN = _("Admin")

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Today"), "home", "sun", roles=REPS),
    NavItem(
        _("Dashboard"),
        "home",
        "speedometer2",
        roles=STAFF,
        also=("targets:dashboard",),
    ),
    NavItem(_("My results"), "targets:my_results", "graph-up", roles=REPS),
    NavItem(_("Targets"), "targets:list", "bullseye"),
    NavItem(_("My meetings"), "meetings:list", "camera-video", menu=MEETINGS),
    NavItem(_("Team calendar"), "meetings:calendar", "calendar-week", menu=MEETINGS),
    NavItem(_("Your calendar"), "integrations:calendar", "arrow-repeat", menu=MEETINGS),
    NavItem(_("Check-ins"), "meetings:check_ins", "person-check", STAFF, MEETINGS),
    NavItem(_("Improvement plans"), "coaching:plans", "life-preserver", menu=MEETINGS),
    NavItem(_("Needs attention"), "targets:needs_attention", "flag", STAFF, TEAM),
    NavItem(_("Funnel"), "diagnosis:funnel", "funnel", STAFF, TEAM),
    NavItem(_("Time with reps"), "attention:ledger", "hourglass-split", STAFF, TEAM),
    NavItem(_("Leaderboard"), "targets:leaderboard", "trophy", menu=TEAM),
    NavItem(_("Kudos"), "targets:kudos", "stars", menu=TEAM),
    NavItem(_("Directory"), "directory", "people", menu=TEAM),
    NavItem(_("Teams"), "teams", "diagram-3", STAFF, TEAM),
    NavItem(_("Add rep"), "rep-add", "person-plus", ADMINS, ADMIN),
    NavItem(_("Import people"), "people-import", "upload", ADMINS, ADMIN),
    NavItem(_("Invitations"), "invitations", "envelope", ADMINS, ADMIN),
    NavItem(_("Audit log"), "audit-log", "journal-text", ADMINS, ADMIN),
    NavItem(_("Dialers"), "integrations:dialers", "telephone-inbound", ADMINS, ADMIN),
    NavItem(_("Webhooks"), "integrations:webhooks", "broadcast", ADMINS, ADMIN),
]


def role_of(user: User) -> str:
    return "admin" if user.is_admin else user.role


def navigation_for(user: User) -> list[NavItem]:
    role = role_of(user)
    return [item for item in NAV_ITEMS if role in item.roles]
