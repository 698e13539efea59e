"""Check-ins by autonomy level: who is due, a rep's history, changing their level."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.selectors import active_reps_visible_to
from meetings import autonomy, cadence, selectors
from meetings.forms import (
    AutonomyForm,
)
from meetings.models import CHECK_IN_KINDS, MeetingStatus
from meetings.views.common import (
    PAGE_SIZE,
    in_viewer_zone,
    staff_only,
)
from targets.ramp_history import ramp_history_for
from targets.selectors import target_changes_with_reason


@in_viewer_zone
@staff_only
@require_GET
def check_ins(request):
    """The manager's reps: level, recommended cadence, last and next check-in."""
    now = timezone.now()
    live = ~Q(check_ins__status=MeetingStatus.CANCELLED) & Q(
        check_ins__kind__in=CHECK_IN_KINDS
    )
    reps = (
        active_reps_visible_to(request.user)
        .annotate(
            last_check_in=Max(
                "check_ins__starts_at", filter=live & Q(check_ins__starts_at__lt=now)
            ),
            next_check_in=Min(
                "check_ins__starts_at", filter=live & Q(check_ins__starts_at__gte=now)
            ),
        )
        .order_by("team__name", "first_name", "last_name", "email")
    )
    page = Paginator(reps, 50).get_page(request.GET.get("page"))
    rows = [
        {
            "rep": rep,
            "cadence": cadence.cadence_label(rep.autonomy_level),
            "cadence_days": cadence.cadence_days_for(rep.autonomy_level),
        }
        for rep in page
    ]
    return render(request, "meetings/check_ins.html", {"page": page, "rows": rows})


def _visible_rep(request, pk: int) -> User:
    # With the rep's ramp, if any, so their ramp history costs nothing without one
    return get_object_or_404(
        active_reps_visible_to(request.user).select_related("ramp"), pk=pk
    )


def _rep_history_page(request, rep: User, *, autonomy_form=None):
    """The rep's one-on-ones, autonomy, target and ramp changes; a refused autonomy
    change comes back bound in `autonomy_form` (400, the error beside its field)."""
    meetings = selectors.one_on_one_history(rep=rep)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/rep_history.html",
        {
            "rep": rep,
            "page": page,
            "cadence": cadence.cadence_label(rep.autonomy_level),
            "changes": list(selectors.autonomy_changes_for(rep=rep)[:10]),
            "autonomy_form": autonomy_form
            or AutonomyForm(initial={"to_level": rep.autonomy_level}),
            "target_changes": target_changes_with_reason(rep=rep),
            "ramp_history": ramp_history_for(rep=rep),
        },
        status=400 if autonomy_form is not None else 200,
    )


@in_viewer_zone
@staff_only
@require_GET
def rep_history(request, pk: int):
    return _rep_history_page(request, _visible_rep(request, pk))


@in_viewer_zone
@staff_only
@require_POST
def autonomy_change(request, pk: int):
    rep = _visible_rep(request, pk)
    form = AutonomyForm(request.POST)
    if form.is_valid():
        try:
            autonomy.autonomy_set(rep=rep, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The autonomy level is changed."))
            return redirect("meetings:rep_history", pk=rep.pk)
    return _rep_history_page(request, rep, autonomy_form=form)
