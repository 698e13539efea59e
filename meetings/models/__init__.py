"""Staying in touch: meetings, recurring series, action items, calendars, autonomy history."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import AutonomyLevel
from meetings.external_busy import ExternalBusy  # noqa: F401 (its own module)
from meetings.models.preferences import (  # noqa: F401 (one module per concern)
    MAX_REMINDER_MINUTES,
    REMINDER_CHOICES,
    MeetingPreference,
)


class MeetingKind(models.TextChoices):
    TEAM = "team", _("Team meeting")
    ONE_ON_ONE = "one_on_one", _("One-on-one")
    GOAL_SETTING = "goal_setting", _("Goal setting")
    COACHING = "coaching", _("Coaching")


# Check-ins with a single rep: the ones the cadence (and the over-checking warning) counts.
CHECK_IN_KINDS = (MeetingKind.ONE_ON_ONE, MeetingKind.COACHING)
# A manager with one person: a one-on-one in the wide sense (history, carried items).
ONE_ON_ONE_KINDS = (
    MeetingKind.ONE_ON_ONE,
    MeetingKind.COACHING,
    MeetingKind.GOAL_SETTING,
)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")


class MeetingSeries(models.Model):
    """A recurring meeting, anchored to a local wall-clock time in `timezone`.

    Occurrences are computed with `dateutil.rrule` on naive local times and only then made
    aware, so a weekly 10:00 Europe/Athens meeting stays at 10:00 Athens across DST.
    """

    kind = models.CharField(
        _("kind"), max_length=16, choices=MeetingKind, default=MeetingKind.TEAM
    )
    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_series",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="meeting_series",
        null=True,
        blank=True,
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        related_name="meeting_series",
        blank=True,
    )
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence)
    timezone = models.CharField(_("time zone"), max_length=64)
    starts_on = models.DateField(_("first date"))
    local_time = models.TimeField(_("local start time"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    agenda = models.TextField(_("standing agenda"), blank=True)
    rotation_times = models.JSONField(_("rotation"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_recurrence_display()})"


class Meeting(models.Model):
    """One meeting: a team meeting, a one-on-one, a goal-setting or a coaching session.

    `starts_at` is UTC. `rep` names the rep a one-on-one meeting is about (history,
    cadence, carried action items). `series_slot` is the occurrence's original start in
    its series: moving one occurrence keeps the slot, so regeneration never re-creates it.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind)
    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_meetings",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="check_ins",
        null=True,
        blank=True,
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Participant",
        verbose_name=_("participants"),
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    video_url = models.URLField(_("video link"), max_length=500)
    notes = models.TextField(_("shared notes"), blank=True)
    reason = models.CharField(_("why we are meeting"), max_length=500, blank=True)
    private_notes = models.TextField(_("manager's private notes"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MeetingStatus,
        default=MeetingStatus.SCHEDULED,
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        related_name="meetings",
        null=True,
        blank=True,
    )
    series_slot = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "series_slot"],
                name="one_meeting_per_series_slot",
                violation_error_message=_("This occurrence already exists."),
            ),
            models.UniqueConstraint(
                fields=["rep"],
                condition=Q(kind=MeetingKind.GOAL_SETTING)
                & Q(status=MeetingStatus.SCHEDULED),
                name="one_open_goal_setting_per_rep",
                violation_error_message=_(
                    "This rep already has a goal-setting meeting booked."
                ),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0) & Q(duration_minutes__lte=480),
                name="meeting_duration_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["rep", "kind", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class Participant(models.Model):
    """A person invited to a meeting; `attended` is filled in when notes are recorded."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance"
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="one_participation_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.meeting}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("agenda item"), max_length=500)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.text


class ActionItem(models.Model):
    """Something a person agreed to do in a meeting; open until `done_at` is set."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_items"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    text = models.CharField(_("action"), max_length=500)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_date", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["owner", "done_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a person's iCal feed URL; rotating or revoking it ends the old URL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_tokens",
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_feed_token_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'revoked' if self.revoked_at else 'live'})"


class ReminderSent(models.Model):
    """One reminder email per person per meeting: the unique pair makes sending idempotent."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="reminders"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="one_reminder_per_person_and_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.meeting}"


class AutonomyChange(models.Model):
    """A move of a rep between autonomy levels, with its reason.

    Changes by the periodic review carry `reviewed_on`; one per rep and day, so a review run
    twice changes nothing the second time. Manual changes carry `by`.
    """

    # Found through an index that starts with it: none of its own to write on insert.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="autonomy_changes",
        db_index=False,
    )
    from_level = models.CharField(
        _("from"), max_length=12, choices=AutonomyLevel, blank=True
    )
    to_level = models.CharField(_("to"), max_length=12, choices=AutonomyLevel)
    reason = models.CharField(_("reason"), max_length=300)
    changed_at = models.DateTimeField(_("changed at"))
    reviewed_on = models.DateField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("autonomy change")
        verbose_name_plural = _("autonomy changes")
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "reviewed_on"],
                name="one_autonomy_review_per_rep_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rep}: {self.from_level} → {self.to_level}"
