"""Template context shared by every page."""

from django.urls import reverse

from accounts.notifications import unread_count
from salesteam.navigation import NavItem, navigation_for


def active_item(path: str, items: list[NavItem]) -> NavItem | None:
    """The one item the page belongs to: the longest of its URLs that the path starts
    with (the home page only for itself), so /meetings/plans/7/ is a plan, not a meeting.
    """
    best, best_length = None, -1
    for item in items:
        for url in map(reverse, (item.url_name, *item.also)):
            matches = path == url or (url != "/" and path.startswith(url))
            if matches and len(url) > best_length:
                best, best_length = item, len(url)
    return best


def navigation(request) -> dict:
    """Top-level links and menus (in order), each marked active for the current page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = navigation_for(user)
    active = active_item(request.path, items)
    entries: list[dict] = []
    menus: dict[str, dict] = {}
    for item in items:
        link = {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "active": item is active,
        }
        if not item.menu:
            entries.append(link)
            continue
        menu = menus.get(str(item.menu))
        if menu is None:
            menu = {"label": item.menu, "links": [], "active": False}
            menus[str(item.menu)] = menu
            entries.append(menu)
        menu["links"].append(link)
        menu["active"] = menu["active"] or link["active"]
    return {"nav_items": entries, "unread_notifications": unread_count(user)}
