"""Template context shared by every page."""

from django.urls import reverse

from accounts.notifications import unread_count
from salesteam.navigation import navigation_for


def navigation(request) -> dict:
    """Top-level links and menus (in order), each marked active for the current page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    entries: list[dict] = []
    menus: dict[str, dict] = {}
    for item in navigation_for(user):
        url = reverse(item.url_name)
        link = {
            "label": item.label,
            "url": url,
            "icon": item.icon,
            "active": path == url or (url != "/" and path.startswith(url)),
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
