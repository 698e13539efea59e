"""Template context shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.notifications import unread_count
from salesteam.navigation import navigation_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = []
    for item in navigation_for(user):
        url = reverse(item.url_name)
        items.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "active": path == url or (url != "/" and path.startswith(url)),
            }
        )
    return {
        "nav_items": items,
        "nav_brand": _("Salesteam"),
        "unread_notifications": unread_count(user),
    }
