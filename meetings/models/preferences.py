"""A person's meeting preferences (reminder emails)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

REMINDER_CHOICES = [
    (0, _("No reminder emails")),
    (10, _("10 minutes before")),
    (15, _("15 minutes before")),
    (30, _("30 minutes before")),
    (60, _("1 hour before")),
    (120, _("2 hours before")),
    (1440, _("1 day before")),
]
MAX_REMINDER_MINUTES = max(minutes for minutes, _label in REMINDER_CHOICES)


class MeetingPreference(models.Model):
    """A person's meeting preferences; a person without a row gets the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_preference",
    )
    reminder_minutes = models.PositiveIntegerField(
        _("reminder email"), choices=REMINDER_CHOICES, default=30
    )

    class Meta:
        verbose_name = _("meeting preference")
        verbose_name_plural = _("meeting preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.reminder_minutes} min"
