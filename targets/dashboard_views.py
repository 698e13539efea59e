"""Pages of the dashboard: the team dashboard and its CSV, the leaderboard, results."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Team, User
from accounts.permissions import is_staff_member, may_manage
from accounts.selectors import teams_visible_to, user_get_for
from activities.periods import DAY
from targets.consistency import consistency_for
from targets.dashboard import (
    SORT_LOCAL_TIME,
    SORT_NAME,
    SPARKLINE_METRIC,
    Dashboard,
    dashboard_csv_rows,
    dashboard_for,
    leaderboard_from,
    teams_in_order,
)
from targets.dashboard.organisation import organisation_for, reps_matching
from targets.dashboard_forms import DashboardFilterForm
from targets.personal_goal_forms import PersonalGoalForm
from targets.personal_goals import (
    goal_metric_choices,
    goals_progress,
    personal_goals_for,
)
from targets.ramp_forms import RampChangeForm, RampEndForm
from targets.rep_results import rep_results_for
from targets.results_panels import results_panel_urls

ALL_TEAMS = "all"


def team_from_query(
    request, teams: list[Team], *, default: Team | None, all_teams: bool = False
) -> Team | None:
    """The team named by `?team=` among the viewer's teams (404 for any other), else
    `default`; `?team=all` means every team (None) where the page offers it."""
    raw = request.GET.get("team", "").strip()
    if all_teams and raw == ALL_TEAMS:
        return None
    if not raw:
        return default
    team = next((team for team in teams if str(team.pk) == raw), None)
    if team is None:
        raise Http404
    return team


def _dashboard_from_request(request) -> tuple[Dashboard, DashboardFilterForm, dict]:
    if not is_staff_member(request.user):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET)
    filters = form.filters()
    teams = teams_visible_to(request.user)
    raw = request.GET.get("team", "").strip()
    if request.user.is_admin and raw.isdigit() and len(raw) <= 18:
        # An admin's drill-down into one team reads that team, not the organisation's
        # thousand (the organisation view is where they choose another).
        teams = teams.filter(pk=int(raw))
    teams = teams_in_order(teams)
    # A manager of one team sees it by name; an admin starts with every team.
    default = teams[0] if len(teams) == 1 and not request.user.is_admin else None
    team = team_from_query(request, teams, default=default, all_teams=True)
    dashboard = dashboard_for(
        viewer=request.user,
        teams=teams,
        team=team,
        period=filters["period"],
        start=filters["start"],
        end=filters["end"],
        sort=filters["sort"],
        direction=filters["direction"],
    )
    return dashboard, form, filters


def _query(request, **changes) -> str:
    """The current query string with some parameters changed (None drops one)."""
    params = dict(request.GET.items())
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(params)


def _headers(request, dashboard: Dashboard) -> list[dict]:
    """Each column's label, the URL that sorts by it, and how it is sorted now."""
    columns = [
        (SORT_NAME, _("Rep"), ""),
        (SORT_LOCAL_TIME, _("Local time"), "d-none d-md-table-cell"),
        *((column.slug, column.label, "") for column in dashboard.columns),
    ]
    headers = []
    for key, label, classes in columns:
        active = dashboard.sort == key
        if active:
            direction = "asc" if dashboard.direction == "desc" else "desc"
        else:
            # Numbers read best first; names from A, local times from the west.
            direction = "asc" if key in (SORT_NAME, SORT_LOCAL_TIME) else "desc"
        headers.append(
            {
                "key": key,
                "label": label,
                "classes": classes,
                "url": "?" + _query(request, sort=key, dir=direction),
                "active": active,
                "direction": dashboard.direction if active else "",
            }
        )
    return headers


def dashboard_page(request):
    """The team dashboard."""
    dashboard, form, filters = _dashboard_from_request(request)
    return render(
        request,
        "targets/dashboard/dashboard.html",
        {
            "dashboard": dashboard,
            "form": form,
            "filters": filters,
            "selected_team": request.GET.get("team", ""),
            "headers": _headers(request, dashboard),
            "query": request.GET.urlencode(),
            "sparkline_metric": SPARKLINE_METRIC,
        },
    )


def _wants_organisation(request) -> bool:
    """An admin's dashboard without one team named is the organisation view."""
    return request.user.is_admin and request.GET.get("team", "").strip() in (
        "",
        ALL_TEAMS,
    )


def organisation_page(request):
    """The admin's organisation view: a page of teams, one row each, and a rep search
    (targets/dashboard/organisation.py); each team links to its own dashboard."""
    form = DashboardFilterForm(request.GET)
    filters = form.filters()
    search = request.GET.get("q", "")
    organisation = organisation_for(
        viewer=request.user,
        period=filters["period"],
        start=filters["start"],
        end=filters["end"],
        search=search,
        page=request.GET.get("page"),
    )
    reps = None
    if organisation.search:
        reps = reps_matching(search=organisation.search, page=request.GET.get("reps"))
    return render(
        request,
        "targets/dashboard/organisation.html",
        {
            "organisation": organisation,
            "reps": reps,
            "form": form,
            "filters": filters,
            "team_query": _query(request, page=None, reps=None, team=None, q=None),
            "pages_query": _query(request, page=None),
            "reps_query": _query(request, reps=None),
        },
    )


def staff_dashboard_page(request):
    """Managers see their teams, admins the organisation or any team (also the home
    page of managers and admins)."""
    if _wants_organisation(request):
        return organisation_page(request)
    return dashboard_page(request)


@login_required
def dashboard(request):
    """The dashboard for managers and admins; reps are told no (403)."""
    return staff_dashboard_page(request)


@login_required
def dashboard_csv(request):
    """Exactly what the dashboard shows for the same query string, as CSV."""
    dashboard, _form, filters = _dashboard_from_request(request)
    team = slugify(dashboard.team.name) if dashboard.team else ALL_TEAMS
    filename = (
        f"dashboard-{team or 'team'}-{filters['period']}-{dashboard.start:%Y-%m-%d}.csv"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows(dashboard_csv_rows(dashboard))
    return response


@login_required
def leaderboard(request):
    """One team ranked by one metric; reps see their own team's if the team allows."""
    viewer: User = request.user
    form = DashboardFilterForm(request.GET)
    filters = form.filters()
    teams = teams_in_order(teams_visible_to(viewer))
    team = team_from_query(request, teams, default=None, all_teams=True) or (
        teams[0] if teams else None
    )
    if not is_staff_member(viewer) and (
        team is None or not team.leaderboard_visible_to_reps
    ):
        raise PermissionDenied
    board = None
    entries = []
    metric = filters["metric"] or SPARKLINE_METRIC
    if team is not None:
        board = dashboard_for(
            viewer=viewer,
            teams=teams,
            team=team,
            period=filters["period"],
            start=filters["start"],
            end=filters["end"],
        )
        if metric not in [column.slug for column in board.columns] and board.columns:
            metric = board.columns[0].slug
        entries = leaderboard_from(board, metric=metric)
    return render(
        request,
        "targets/dashboard/leaderboard.html",
        {
            "board": board,
            "entries": entries,
            "teams": teams,
            "team": team,
            "metric": metric,
            "form": form,
            "filters": filters,
            "show_team_choice": len(teams) > 1,
        },
    )


def results_page(request, rep: User, *, results=None, goal_form=None, ramp_form=None):
    """A rep's results page; a refused personal goal comes back in `goal_form`, a
    refused change to the rep's ramp in `ramp_form` (400, bound, beside its fields).

    Consistency and the goal form are for the rep's own eyes; a manager sees only the
    goals the rep shares.
    """
    now = timezone.now()
    results = results or rep_results_for(rep=rep, now=now)
    is_own = rep.pk == request.user.pk
    may_set_targets = is_staff_member(request.user) and not is_own
    ramp_forms = {}
    if may_set_targets and results.ramp:
        ramp_forms = {
            "change": RampChangeForm(initial={"steps": results.ramp.steps_text}),
            "end": RampEndForm(),
        }
        if ramp_form is not None:
            ramp_forms["change" if isinstance(ramp_form, RampChangeForm) else "end"] = (
                ramp_form
            )
    refused = (goal_form is not None and goal_form.errors) or (
        ramp_form is not None and ramp_form.errors
    )
    if is_own and goal_form is None:
        goal_form = PersonalGoalForm(
            metrics=goal_metric_choices(
                history=results.target_history, today=results.local.local_now.date()
            )
        )
    return render(
        request,
        "targets/dashboard/rep_results.html",
        {
            "results": results,
            "is_own": is_own,
            "may_set_targets": may_set_targets,
            "ramp_forms": ramp_forms,
            "ramp_form_refused": ramp_form is not None and ramp_form.errors,
            "title": _("My results") if rep.pk == request.user.pk else str(rep),
            "chart_labels": {"actual": _("actual"), "target": _("target")},
            "panel_urls": results_panel_urls(rep)
            if may_manage(request.user, rep)
            else [],
            "consistency": consistency_for(rep=rep, now=now) if is_own else None,
            "goals": goals_progress(
                goals=list(personal_goals_for(viewer=request.user, rep=rep)),
                running={DAY: results.today, **results.current},
            ),
            "goal_form": goal_form if is_own else None,
        },
        status=400 if refused else 200,
    )


@login_required
def my_results(request):
    """A rep's own results page ("My results")."""
    return results_page(request, request.user)


@login_required
def rep_results(request, pk: int):
    """One rep's results: 404 for anyone the viewer may not see."""
    return results_page(request, user_get_for(request.user, pk))
