"""The people lists: the directory and the teams page, a page at a time, searchable.

(Re-exported by accounts/views.py, where the URLs find them.)
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts import selectors
from accounts.permissions import is_staff_member
from core.params import id_param

SEARCH_MAX_LENGTH = 100
TEAMS_PAGE_SIZE = 25


def _search_and_query(request) -> tuple[str, str]:
    """The search (`?q=`, trimmed) and the query string without `page`."""
    query = request.GET.copy()
    query.pop("page", None)
    return request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH], query.urlencode()


@login_required
def directory(request):
    """Everyone the viewer works with, with their local time and work hours."""
    search, query = _search_and_query(request)
    page, teams = selectors.directory_page(
        viewer=request.user,
        search=search,
        page=request.GET.get("page"),
        team_id=id_param(request.GET.get("team")),
    )
    return render(
        request,
        "accounts/directory.html",
        {"teams": teams, "page": page, "search": search, "query": query},
    )


@login_required
def teams(request):
    if not is_staff_member(request.user):
        raise PermissionDenied
    search, query = _search_and_query(request)
    teams = selectors.teams_visible_to(request.user).order_by("name", "pk")
    if search:
        teams = teams.filter(name__icontains=search)
    page = Paginator(teams, TEAMS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/teams.html",
        {"teams": page, "page": page, "search": search, "query": query},
    )
