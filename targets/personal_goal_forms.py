"""The rep's "personal goal" form on their results page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PersonalGoalForm(forms.Form):
    """Metric, amount, and whether the manager may see it; the goal takes the period of
    the metric's agreed target (the only one it may have, so the form does not ask).

    Only parses: `targets.personal_goals.personal_goal_set` decides whether the goal
    goes above the agreed target, and its errors are shown beside the field.
    """

    metric = forms.ChoiceField(label=_("Metric"))
    amount = forms.DecimalField(
        label=_("My goal"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
    )
    shared = forms.BooleanField(label=_("Share with my manager"), required=False)

    def __init__(self, *args, metrics: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = metrics

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        for field, messages in message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
