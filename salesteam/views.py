"""Project-level pages: the home page, which sends each role to its own start page."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from coaching.selectors import open_plan_for
from meetings.selectors import my_meetings, open_action_items_for
from targets.dashboard_views import staff_dashboard_page
from targets.views import today_page

# Today shows the next few meetings; the meetings page has the rest.
TODAY_MEETINGS = 5


@login_required
def home(request):
    """Reps start on their Today page; managers on their team's dashboard, admins on
    the organisation view."""
    if request.user.is_rep:
        return today_page(
            request,
            template="home_rep.html",
            extra={
                "open_action_items": list(
                    open_action_items_for(user=request.user)[:10]
                ),
                "open_plan": open_plan_for(request.user),
                # One query: the panel shows no attendees or agenda, so no prefetches.
                "upcoming_meetings": list(
                    my_meetings(viewer=request.user, upcoming=True).prefetch_related(
                        None
                    )[:TODAY_MEETINGS]
                ),
            },
        )
    return staff_dashboard_page(request)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    """A page for people; JSON under /api/, where a path that matches no route (an id
    that is not a number) is as much "not found" as an id outside the caller's scope."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
