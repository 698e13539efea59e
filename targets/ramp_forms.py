"""The manager's forms that change or end a rep's ramp (on the rep's results page)."""

from django import forms
from django.utils.translation import gettext_lazy

from targets.ramps import ramp_steps_parse


class RampEndForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do the full targets start now?"), max_length=300
    )

    def __init__(self, *args, **kwargs):
        # Both forms sit on one page: their fields need ids of their own
        kwargs.setdefault("auto_id", "ramp-end-%s")
        super().__init__(*args, **kwargs)


class RampChangeForm(forms.Form):
    steps = forms.CharField(
        label=gettext_lazy("Steps (weeks x percent)"), max_length=200
    )
    reason = forms.CharField(
        label=gettext_lazy("Why does the ramp change?"), max_length=300
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "ramp-change-%s")
        super().__init__(*args, **kwargs)

    def clean_steps(self):
        return ramp_steps_parse(self.cleaned_data["steps"])
