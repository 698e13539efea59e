"""The form of a person's calendar connection."""

from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.calendars.client import FoundCalendar


class CalendarConnectionForm(forms.Form):
    server_url = forms.URLField(
        label=_("Server address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Your CalDAV address, e.g. https://cloud.example.com/remote.php/dav for "
            "Nextcloud, https://caldav.fastmail.com/ for Fastmail or "
            "https://caldav.icloud.com/ for iCloud."
        ),
    )
    username = forms.CharField(label=_("User name"), max_length=200)
    password = forms.CharField(
        label=_("Password or app password"),
        required=False,
        max_length=500,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    calendar_url = forms.CharField(
        label=_("Calendar"),
        required=False,
        max_length=1000,
        widget=forms.Select,
        help_text=_("Test the connection to list your calendars."),
    )

    def __init__(
        self,
        *args,
        found: list[FoundCalendar] = (),
        current: tuple[str, str] | None = None,
        keep_password: bool = False,
        password_stored: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        choices = [("", _("The first calendar found"))]
        if current and current[0] not in {c.url for c in found}:
            choices.append(current)
        choices += [(calendar.url, calendar.name) for calendar in found]
        self.fields["calendar_url"].widget.choices = choices
        # After a test, the password just typed is shown back (masked), not lost.
        self.fields["password"].widget.render_value = keep_password
        if password_stored:
            self.fields["password"].help_text = _(
                "Leave empty to keep the stored password."
            )
