"""Busy times read from a person's own calendar: the table (see `meetings.models`).

Kept in a module of its own because `meetings/models.py` is at the 400-line limit;
`meetings.models` re-exports it, so it is `meetings.ExternalBusy` like any table here.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ExternalBusy(models.Model):
    """A stretch of time the person's own calendar marks busy, outside Salesteam.

    Written only by a calendar sync (`meetings.services.busy.external_busy_set`) and
    read by slot choice, so "find a time" and every booking job avoid it. `source_ref`
    names the calendar object it came from (one object may give several rows: a
    recurring event's occurrences), so a sync replaces exactly what changed.
    Salesteam's own meetings are never stored here: they are busy already.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_busy",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    source_ref = models.CharField(max_length=1000)

    class Meta:
        verbose_name = _("busy time from a calendar")
        verbose_name_plural = _("busy times from calendars")
        indexes = [models.Index(fields=["person", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="external_busy_has_length"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
