"""The history import's upload form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from targets.history_import import KINDS

MAX_HISTORY_FILE_BYTES = 16 * 1024 * 1024


class HistoryImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(kind.slug, kind.label) for kind in KINDS.values()],
    )
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with the header row of the template. Up to 16 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_HISTORY_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 16 MB."))
        return upload
