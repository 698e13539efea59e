"""A manager changes or ends a rep's ramp, with a reason (forms on the rep's results page)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.selectors import user_get_for
from targets.ramp_services import ramp_change, ramp_end
from targets.ramps import ramp_steps_parse


class RampEndForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do the full targets start now?"), max_length=300
    )


class RampChangeForm(forms.Form):
    steps = forms.CharField(
        label=gettext_lazy("Steps (weeks x percent)"), max_length=200
    )
    reason = forms.CharField(
        label=gettext_lazy("Why does the ramp change?"), max_length=300
    )

    def clean_steps(self):
        return ramp_steps_parse(self.cleaned_data["steps"])


def _ramp_write(request, pk: int, form_class, write, done: str):
    """Parse the form, call the service; its errors go back to the results page."""
    rep = user_get_for(request.user, pk)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for ms in form.errors.values() for m in ms])
        write(rep=rep, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"rep": rep})
    return redirect("targets:rep_results", pk=rep.pk)


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
