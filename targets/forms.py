"""The manager's "set the targets you agreed" form."""

import datetime as dt

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.periods import PERIOD_CHOICES
from targets.selectors import AgreementRow


def amount_field_name(slug: str) -> str:
    return f"amount_{slug}"


class AgreedTargetsForm(forms.Form):
    """One amount per metric (prefilled) and the day they start.

    Only parses: `targets.services.targets_agree` decides, and its errors are shown
    beside the metric or the date they are about.
    """

    effective_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed to raise the targets of a rep who has been on quota for months "
            "in a row; the rep is told."
        ),
    )

    def __init__(self, *args, rows: list[AgreementRow], starts: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["effective_from"].initial = starts
        period_labels = dict(PERIOD_CHOICES)
        for row in rows:
            self.fields[amount_field_name(row.metric.slug)] = forms.DecimalField(
                label=gettext("%(metric)s per %(period)s")
                % {
                    "metric": row.metric.label,
                    "period": str(period_labels[row.period]).lower(),
                },
                max_digits=14,
                decimal_places=2,
                required=False,
                initial=f"{row.amount.normalize():f}",
                widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
            )
        self.fields["reason"] = self.fields.pop("reason")  # after the amounts

    def amounts(self) -> list[tuple]:
        """(metric, period, amount) for each filled-in metric."""
        return [
            (row.metric, row.period, self.cleaned_data[amount_field_name(slug)])
            for row in self.rows
            if self.cleaned_data.get(amount_field_name(slug := row.metric.slug))
            is not None
        ]

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for key, messages in message_dict.items():
            field = (
                key if key in ("effective_from", "reason") else amount_field_name(key)
            )
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
