"""A manager ends a rep's ramp early, with a reason (a form on the rep's results page)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.selectors import user_get_for
from targets.ramp_services import ramp_end


class RampEndForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do the full targets start now?"), max_length=300
    )


@login_required
@require_POST
def ramp_end_page(request, pk: int):
    """End the rep's ramp from today; 404 for a rep the viewer may not see, 403 for
    anyone but the rep's manager or an admin (the service decides)."""
    rep = user_get_for(request.user, pk)
    form = RampEndForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        ramp_end(rep=rep, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(rep)s's full targets count from today.") % {"rep": rep}
        )
    return redirect("targets:rep_results", pk=rep.pk)
