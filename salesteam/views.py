"""Project-level pages: the home page, which sends each role to its own start page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from targets.views import today_page


@login_required
def home(request):
    """Reps start on their Today page; managers and admins on the overview."""
    if request.user.is_rep:
        return today_page(request)
    return render(request, "home.html")


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)
