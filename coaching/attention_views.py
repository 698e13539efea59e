"""Where the manager's time goes: the month's attention per rep of a team.

For managers (the teams they lead) and admins (any team); a rep is told no, so no rep
ever reads another rep's row.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.permissions import is_staff_member
from accounts.selectors import teams_visible_to
from coaching.attention import attention_ledger, ledger_month
from targets.dashboard import teams_in_order
from targets.dashboard_views import team_from_query

ATTENTION_PAGE_SIZE = 25


def month_from_query(request, this_month: dt.date) -> tuple[dt.date, str]:
    """The month named by `?month=YYYY-MM` (else this month), and the error that sent
    an unusable one back to this month."""
    raw = request.GET.get("month", "").strip()
    if not raw:
        return this_month, ""
    try:
        return ledger_month(raw, this_month=this_month), ""
    except ValidationError as error:
        return this_month, error.messages[0]


@login_required
def attention_page(request):
    """One row per active rep: one-on-one minutes, check-ins and comments against the
    month's results, with the warning when most minutes go to reps on quota."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    teams = teams_in_order(teams_visible_to(request.user))
    team = team_from_query(request, teams, default=teams[0] if teams else None)
    this_month = request.user.local_date().replace(day=1)
    month, month_error = month_from_query(request, this_month)
    ledger = attention_ledger(team=team, month=month) if team is not None else None
    rows = ledger.rows if ledger is not None else []
    page = Paginator(rows, ATTENTION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/attention.html",
        {
            "teams": teams,
            "team": team,
            "month": month,
            "month_value": month.strftime("%Y-%m"),
            "this_month": this_month.strftime("%Y-%m"),
            "month_error": month_error,
            "ledger": ledger,
            "page": page,
            "show_team_choice": len(teams) > 1,
        },
    )
