"""Forms for logging from the Today page (quick-log buttons and the details form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import CallOutcome


class QuickLogForm(forms.Form):
    """Parses a quick-log POST; the rules themselves live in `activities.services`.

    `occurred_at` comes from a datetime-local input and is read in the rep's zone (the
    view activates it).
    """

    metric = forms.SlugField(label=_("What"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("—"))] + list(CallOutcome.choices),
        required=False,
    )
    quantity = forms.IntegerField(label=_("How many"), required=False)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)
