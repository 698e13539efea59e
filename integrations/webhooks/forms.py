"""The admins' form for a webhook subscription (the service checks the address)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from integrations.webhooks.payloads import EVENT_TYPES
from integrations.webhooks.subscriptions import MAX_DESCRIPTION_LENGTH, MAX_URL_LENGTH


class WebhookSubscriptionForm(forms.Form):
    url = forms.CharField(
        label=_("Address"),
        max_length=MAX_URL_LENGTH,
        help_text=_(
            "The https address of your receiver, e.g. a Zapier or n8n webhook URL. "
            "It must be reachable from the internet."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=MAX_DESCRIPTION_LENGTH,
        required=False,
        help_text=_("What receives it, so the next admin knows (e.g. “Wins to chat”)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[
            # Lazy, so each request reads the description in its own language.
            (name, format_lazy("{} · {}", name, event.description))
            for name, event in EVENT_TYPES.items()
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
