"""The form field for a rotating series' other start times ("19:00, 02:30")."""

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _


class AlternateTimesField(forms.CharField):
    """Local times, separated by commas or spaces, as a list of `datetime.time`."""

    default_error_messages = {
        "invalid": _("Give times as HH:MM, separated by commas (for example 19:00).")
    }

    def to_python(self, value) -> list[dt.time]:
        text = super().to_python(value)
        times = []
        for part in re.split(r"[,\s]+", text.strip()):
            if not part:
                continue
            try:
                times.append(dt.time.fromisoformat(part.zfill(5)))
            except ValueError as error:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from error
        return times

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"])
