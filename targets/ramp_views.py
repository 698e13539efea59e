"""A manager changes or ends a rep's ramp, with a reason (forms on the rep's results page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import user_get_for
from targets.dashboard_views import results_page
from targets.ramp_forms import RampChangeForm, RampEndForm
from targets.ramp_services import ramp_change, ramp_end


def _ramp_write(request, pk: int, form_class, write, done: str):
    """Parse the form, call the service; a refused field re-renders the rep's results
    page with the bound form (400): the error beside its field, everything typed kept."""
    rep = user_get_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(rep=rep, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not about a field ("not on a ramp"): the page has no form to show it
                messages.error(request, " ".join(error.messages))
                return redirect("targets:rep_results", pk=rep.pk)
            form.add_error(None, error)
        else:
            messages.success(request, done % {"rep": rep})
            return redirect("targets:rep_results", pk=rep.pk)
    return results_page(request, rep, ramp_form=form)


@login_required
@require_POST
def ramp_end_page(request, pk: int):
    """End the rep's ramp from today; 404 for a rep the viewer may not see, 403 for
    anyone but the rep's manager or an admin (the service decides)."""
    return _ramp_write(
        request,
        pk,
        RampEndForm,
        ramp_end,
        _("%(rep)s's full targets count from today."),
    )


@login_required
@require_POST
def ramp_change_page(request, pk: int):
    """Give the rep's running ramp new steps from today on (as `ramp_end_page`)."""
    return _ramp_write(
        request, pk, RampChangeForm, ramp_change, _("%(rep)s's ramp has changed.")
    )
