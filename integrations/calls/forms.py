"""Forms of the Dialers pages: a source, and the rep an unmatched call belongs to."""

from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.calls import selectors
from integrations.models import CallSourceKind

SECRET_HELP = _(
    "Twilio: your account's Auth Token (Twilio Console → Account → API keys & tokens). "
    "Other dialers: a whsec_ secret; leave it empty and one is made for you."
)


class CallSourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=CallSourceKind.choices)
    secret = forms.CharField(
        label=_("Secret"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=SECRET_HELP,
    )


class CallSourceEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    secret = forms.CharField(
        label=_("New secret"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the secret it has."),
    )
    new_secret = forms.BooleanField(
        label=_("Make a new whsec_ secret (the old one stops working at once)"),
        required=False,
    )
    is_active = forms.BooleanField(
        label=_("On (off: the address answers 404 and writes nothing)"),
        required=False,
    )


class AssignForm(forms.Form):
    rep = forms.ModelChoiceField(
        label=_("Log it for"),
        queryset=selectors.assignable_people(),
        empty_label=_("Choose a person…"),
    )
