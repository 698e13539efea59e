"""Forms for people: login, onboarding, CSV import, invitations, profiles, teams."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, Team, User, validate_start_date
from accounts.onboarding import template_names
from accounts.timezones import timezone_choices
from accounts.validators import phone_normalised
from core.api_fields import FREE_TEXT_MAX_LENGTH

WEEKDAY_CHOICES = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]


class EmailAuthenticationForm(AuthenticationForm):
    """Login with an email address; addresses are stored lower-case."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        return self.cleaned_data["username"].lower()


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault(
            "help_text", _("Where the person works from; their day and week follow it.")
        )
        super().__init__(choices=timezone_choices, **kwargs)
        self.error_messages["invalid_choice"] = _(
            "“%(value)s” is not a known time zone; pick one from the list, e.g. Europe/Athens."
        )


class AddRepForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    timezone = TimeZoneField()
    start_date = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_start_date],
    )
    template = forms.ChoiceField(
        label=_("Targets"),
        required=False,
        help_text=_("The agreed targets the rep starts with; they confirm them later."),
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = (
            teams if teams is not None else Team.objects.all()
        )
        self.fields["start_date"].initial = timezone.localdate()
        names = template_names()
        if names:
            self.fields["template"].choices = [(name, name) for name in names]
            self.fields["template"].initial = names[0]
        else:
            del self.fields["template"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email=email).exists():
            raise forms.ValidationError(
                _("Someone already has an account with this email.")
            )
        return email


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with the header row of the template. Up to 5,000 people."),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class AcceptInvitationForm(forms.Form):
    """Choose the first password (the account exists already)."""

    new_password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    """What anyone may change about themselves; admins also get role, team and dates."""

    timezone = TimeZoneField()
    work_days = forms.TypedMultipleChoiceField(
        label=_("Work days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "title",
            "phone",
            "language",
            "timezone",
            "work_days",
            "work_start",
            "work_end",
        ]
        widgets = {
            "work_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "work_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if admin:
            self.fields["email"] = forms.EmailField(label=_("Email address"))
            self.fields["role"] = forms.ChoiceField(
                label=_("Role"), choices=Role.choices
            )
            self.fields["team"] = forms.ModelChoiceField(
                label=_("Team"), queryset=Team.objects.all(), required=False
            )
            self.fields["start_date"] = forms.DateField(
                label=_("Start date"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                validators=[validate_start_date],
            )
            for name in ("email", "role", "team", "start_date"):
                self.fields[name].initial = getattr(self.instance, name)

    def clean_phone(self) -> str:
        return phone_normalised(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("work_start"), cleaned.get("work_end")
        if start and end and start >= end:
            self.add_error("work_end", _("Work must end after it starts."))
        return cleaned


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "manager", "description", "leaderboard_visible_to_reps"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = User.objects.filter(
            role__in=[Role.MANAGER, Role.ADMIN], is_active=True
        )
        # The same cap as the API's free text (the column itself is unbounded).
        self.fields["description"].max_length = FREE_TEXT_MAX_LENGTH
        self.fields["description"].validators.append(
            MaxLengthValidator(FREE_TEXT_MAX_LENGTH)
        )
