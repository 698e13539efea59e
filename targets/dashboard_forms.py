"""The dashboard's filters, read from the query string (so a view can be shared)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from targets.dashboard import CUSTOM, DASHBOARD_PERIODS, MAX_CUSTOM_DAYS, THIS_WEEK


class DashboardFilterForm(forms.Form):
    """Period (with `from` and `to` for a custom range), sort column and direction.

    The team is read by the view, which must answer 404 for a team the viewer may not
    see. An invalid filter falls back to this week, with the error shown beside it.
    """

    period = forms.ChoiceField(
        label=_("Period"), choices=DASHBOARD_PERIODS, required=False
    )
    sort = forms.SlugField(label=_("Sort by"), max_length=40, required=False)
    dir = forms.ChoiceField(
        label=_("Direction"),
        choices=[("asc", _("Ascending")), ("desc", _("Descending"))],
        required=False,
    )
    metric = forms.SlugField(label=_("Metric"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added by name.
        self.fields["from"] = forms.DateField(label=_("From"), required=False)
        self.fields["to"] = forms.DateField(label=_("To"), required=False)

    def clean(self):
        data = super().clean()
        for name in ("from", "to"):
            value = data.get(name)
            if value and not 1970 <= value.year <= 2999:
                self.add_error(name, _("Give a date between 1970 and 2999."))
        if data.get("period") == CUSTOM and not self.errors:
            start, end = data.get("from"), data.get("to")
            if start is None or end is None:
                raise ValidationError(
                    _("A custom range needs a first and a last day."), code="missing"
                )
            if end < start:
                raise ValidationError(
                    _("The last day comes before the first."), code="reversed"
                )
            if (end - start).days + 1 > MAX_CUSTOM_DAYS:
                raise ValidationError(
                    _("Choose a range of at most %(days)d days.")
                    % {"days": MAX_CUSTOM_DAYS},
                    code="too_long",
                )
        return data

    def filters(self) -> dict:
        """The filters to apply: the valid ones, defaults for the rest."""
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or THIS_WEEK
        start: dt.date | None = data.get("from")
        end: dt.date | None = data.get("to")
        if period != CUSTOM:
            start = end = None
        return {
            "period": period,
            "start": start,
            "end": end,
            "sort": data.get("sort") or "name",
            "direction": data.get("dir") or "asc",
            "metric": data.get("metric") or "",
        }
