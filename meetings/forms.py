"""Forms for meetings. Times are entered and shown in the viewer's own time zone.

The views run inside `timezone.override(viewer.zone)`, so a `datetime-local` value is read
as the viewer's wall-clock time and becomes an aware UTC datetime.
"""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AutonomyLevel, User
from accounts.selectors import active_reps_visible_to, teams_visible_to
from core.api_fields import FREE_TEXT_MAX_LENGTH
from core.params import id_param
from meetings.models import REMINDER_CHOICES, MeetingKind, Recurrence
from meetings.rotation_fields import AlternateTimesField

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class IdRangeMixin:
    """Ids out of the database's range are "not a valid choice", not a server error."""

    def _check_values(self, value):
        for pk in value:
            if id_param(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


class PeopleChoiceField(IdRangeMixin, forms.ModelMultipleChoiceField):
    pass


class PersonChoiceField(IdRangeMixin, forms.ModelMultipleChoiceField):
    def label_from_instance(self, person: User) -> str:
        return f"{person.get_full_name() or person.email} ({person.timezone})"


class StartsAtInRange:
    """Reject far-future starts before anything computes with them (the service does too)."""

    def clean_starts_at(self):
        from meetings.services import MAX_DAYS_AHEAD

        starts_at = self.cleaned_data["starts_at"]
        if starts_at > timezone.now() + dt.timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError(
                _("A meeting can be booked up to five years ahead.")
            )
        return starts_at


class MeetingScheduleForm(StartsAtInRange, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts (your time)"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=480, initial=30
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        help_text=_("Everyone in the team is invited."),
    )
    participants = PersonChoiceField(
        label=_("Participants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recurrence = forms.ChoiceField(
        label=_("Repeats"),
        choices=[("", _("Does not repeat")), *Recurrence.choices],
        required=False,
    )
    alternate_times = AlternateTimesField(
        label=_("Alternate with (your time)"),
        required=False,
        help_text=_(
            "A weekly meeting can take up to two more start times in turn, so the "
            "early and late hours are shared. For example 19:00."
        ),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("Paste a Zoom, Meet or Teams link, or leave empty for a new room."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line."),
    )
    reason = forms.CharField(
        label=_("Why we are meeting"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed for a check-in beyond the rep's cadence; the rep sees it on the "
            "invitation."
        ),
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organiser: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_visible_to(organiser).select_related(
            "manager"
        )
        self.fields["participants"].queryset = active_reps_visible_to(organiser)


class MeetingEditForm(StartsAtInRange, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts (your time)"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=480
    )
    video_url = forms.URLField(label=_("Video link"), assume_scheme="https")
    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[
            ("this", _("This meeting")),
            ("following", _("This and following meetings")),
        ],
        initial="this",
        widget=forms.RadioSelect,
    )


class CancelForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[("this", _("This meeting")), ("following", _("This and following"))],
        initial="this",
        required=False,
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Shared notes"),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Everyone in the meeting can read these."),
    )
    private_notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you and other managers of this rep can read these."),
    )
    attended = PeopleChoiceField(
        label=_("Attended"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mark_done = forms.BooleanField(label=_("Mark the meeting done"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = User.objects.filter(
            pk__in=[p.pk for p in people]
        )


class ActionItemForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=500)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(
        label=_("Due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(
            pk__in=[p.pk for p in people]
        )


class PreferenceForm(forms.Form):
    reminder_minutes = forms.TypedChoiceField(
        label=_("Reminder email"), choices=REMINDER_CHOICES, coerce=int
    )


class AutonomyForm(forms.Form):
    to_level = forms.ChoiceField(label=_("New level"), choices=AutonomyLevel.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
