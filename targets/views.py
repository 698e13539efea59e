"""Pages of the targets app: the Today panel, the targets list, "I agree"."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from accounts.permissions import is_staff_member
from accounts.selectors import user_get_for
from targets.forms import AgreedTargetsForm
from targets.review_selectors import kudos_recent_for_rep
from targets.selectors import agreement_rows, targets_current, targets_for_viewer
from targets.services import target_acknowledge, targets_agree
from targets.today import today_for_rep


def today_page(
    request, *, template: str = "targets/today.html", extra: dict | None = None
):
    """The rep's Today page (rendered by the project's home view for reps).

    The home view may extend the template with panels from higher apps (`extra`).
    """
    context = {
        "today": today_for_rep(rep=request.user),
        "today_kudos": kudos_recent_for_rep(request.user, limit=3),
        **(extra or {}),
    }
    return render(request, template, context)


@login_required
def today_panel(request):
    """The part of Today that changes when something is logged (reloaded by htmx)."""
    return render(
        request, "targets/_today_panel.html", {"today": today_for_rep(rep=request.user)}
    )


@login_required
def target_list(request):
    """Targets in force and to come: a rep's own, or a manager's team with agreement."""
    today = request.user.local_date()
    targets = list(targets_current(viewer=request.user, today=today))
    return render(
        request,
        "targets/target_list.html",
        {
            "targets": targets,
            "awaiting": [target for target in targets if target.agreed_at is None],
            "is_staff_member": is_staff_member(request.user),
            "today": today,
        },
    )


@login_required
@require_POST
def target_agree(request, pk: int):
    """The rep agrees to a target ("I agree")."""
    target = get_object_or_404(targets_for_viewer(request.user), pk=pk)
    target_acknowledge(target=target, by=request.user)
    text = _("Thank you: you agreed to %(amount)s %(metric)s a %(period)s.") % {
        "amount": f"{target.amount.normalize():f}",
        "metric": target.metric.label,
        "period": target.get_period_display().lower(),
    }
    if request.htmx:
        response = render(
            request, "activities/_feedback.html", {"ok": True, "text": text}
        )
        response["HX-Retarget"] = "#quick-log-feedback"
        response["HX-Reswap"] = "innerHTML"
        return trigger_client_event(response, "targetsChanged")
    messages.success(request, text)
    next_url = request.POST.get("next", "")
    return redirect("home" if next_url == "home" else "targets:list")


@login_required
def targets_agree_page(request, pk: int):
    """The manager's "set the targets you agreed" form for one rep, prefilled.

    On the rep's first day it starts today (replacing the template's targets);
    otherwise tomorrow, the earliest day a target already in force can change.
    """
    rep = user_get_for(request.user, pk)
    if not is_staff_member(request.user) or rep.pk == request.user.pk:
        raise PermissionDenied
    today = rep.local_date()
    rows = agreement_rows(rep=rep, today=today)
    day_one = not rows or all(
        row.began_today for row in rows if row.template_amount is not None
    )
    starts = today if day_one else today + dt.timedelta(days=1)
    form = AgreedTargetsForm(request.POST or None, rows=rows, starts=starts)
    if request.method == "POST" and form.is_valid():
        try:
            changed = targets_agree(
                rep=rep,
                amounts=form.amounts(),
                effective_from=form.cleaned_data["effective_from"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            messages.success(
                request,
                _(
                    "Targets recorded for %(rep)s: %(count)s changed. They agree on Today."
                )
                % {"rep": rep, "count": len(changed)},
            )
            return redirect("targets:rep_results", pk=rep.pk)
    return render(
        request,
        "targets/agree_targets.html",
        {"rep": rep, "form": form, "day_one": day_one, "today": today},
        status=400 if form.errors else 200,
    )
