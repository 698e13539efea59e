"""Pages of the diagnosis: a rep's panel (on their results page) and the team's funnel.

The panel is an HTML fragment that `targets`' results page loads with htmx (registered
in `CoachingConfig.ready` through `targets.results_panels`): the lower layer knows only
its URL. The rep sees their own numbers against the team's median and top quartile,
never another rep's.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format

from accounts.permissions import is_staff_member
from accounts.selectors import teams_visible_to, user_get_for
from coaching.diagnosis import STAGES, Diagnosis, diagnose, diagnose_team, money_text
from coaching.selectors import RepForecast, open_plan_for, rep_forecast
from targets.dashboard import teams_in_order
from targets.dashboard_views import team_from_query

FUNNEL_PAGE_SIZE = 25


def _panel_parts(diagnosis: Diagnosis, *, for_rep: bool) -> dict:
    """The sentences in their parts: the constraint (or none), the stages too thin to
    judge, then what reaches the quota (`Diagnosis.sentences` keeps that order)."""
    lines = diagnosis.sentences(for_rep=for_rep)
    lead = 2 if diagnosis.constraint is not None else 1
    thin = lead + len(diagnosis.thin_stages)
    return {"lead": lines[:lead], "thin_notes": lines[lead:thin], "needs": lines[thin:]}


def _forecast_text(found: RepForecast | None) -> dict | None:
    """The forecast's figures as text: money like the sentences, counts whole."""
    if found is None:
        return None
    forecast, money = found.forecast, found.is_money

    def text(amount):
        if amount is None:
            return ""
        return money_text(amount) if money else number_format(amount, 0)

    low, high = text(forecast.low), text(forecast.high)
    return {
        "expected": text(forecast.expected),
        "low": low,
        "high": high,
        # "between €24,840 and €24,840" says nothing a single amount does not
        "spread": low != high,
        "quota": text(forecast.quota),
        "at_risk": forecast.at_risk,
    }


def _team_figures_hidden(diagnosis: Diagnosis, *, is_own: bool) -> bool:
    """A rep with one teammate would read that teammate's numbers in the team's median
    and top quartile: they see only their own, unless the team shares its leaderboard."""
    team = diagnosis.rep.team
    shared = team is not None and team.leaderboard_visible_to_reps
    return is_own and diagnosis.team_size == 2 and not shared


@login_required
def rep_panel(request, pk: int):
    """The diagnosis of one rep whose records the viewer may see (else 404)."""
    rep = user_get_for(request.user, pk)
    now = timezone.now()
    diagnosis = diagnose(rep, now=now)
    is_own = rep.pk == request.user.pk
    parts = _panel_parts(diagnosis, for_rep=is_own)
    hide_team = _team_figures_hidden(diagnosis, is_own=is_own)
    if hide_team:
        # Only what the rep's own rates need; every other line quotes the team.
        parts = {"lead": [], "thin_notes": [], "needs": parts["needs"][:1]}
    return render(
        request,
        "coaching/diagnosis/_panel.html",
        {
            "diagnosis": diagnosis,
            "rep": rep,
            "is_own": is_own,
            "has_activity": diagnosis.counts.calls > 0 or diagnosis.counts.deals > 0,
            "forecast": _forecast_text(rep_forecast(rep, now=now)),
            "plan": open_plan_for(rep),
            "hide_team": hide_team,
            **parts,
        },
    )


@login_required
def team_funnel(request):
    """One row per rep of a team with the constraint marked; managers and admins only.

    The reps who lose the most revenue at their constraint come first.
    """
    if not is_staff_member(request.user):
        raise PermissionDenied
    teams = teams_in_order(teams_visible_to(request.user))
    team = team_from_query(request, teams, default=teams[0] if teams else None)
    diagnoses = diagnose_team(team, now=timezone.now()) if team is not None else []
    diagnoses.sort(
        key=lambda found: (
            -(found.constraint.lost_revenue if found.constraint else 0),
            str(found.rep),
        )
    )
    page = Paginator(diagnoses, FUNNEL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/diagnosis/funnel.html",
        {
            "teams": teams,
            "team": team,
            "page": page,
            "team_stages": diagnoses[0].stages if diagnoses else [],
            "stages": STAGES,
            "show_team_choice": len(teams) > 1,
            "window_days": settings.DIAGNOSIS_WINDOW_DAYS,
        },
    )
