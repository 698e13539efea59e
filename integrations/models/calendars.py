"""Two-way calendars: a person's CalDAV connection and what Salesteam wrote into it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.encryption import EncryptedTextField


class ConnectionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the first sync")
    OK = "ok", _("In step")
    FAILING = "failing", _("Not reachable")


class CalendarConnection(models.Model):
    """One person's CalDAV calendar: where it is, how to sign in, how the sync goes.

    The password (an app password, as a rule) is stored encrypted. `sync_token` is the
    server's (RFC 6578) or, for a server without one, the client library's stand-in
    made of the objects' ETags (`fake-…`), with `ctag` to skip reading an unchanged
    calendar. A failing connection is retried at `next_attempt_at` (exponential
    backoff); `failing_since` keys the one notification of a breakdown.
    `sync_claimed_at` is the lease that keeps two syncs of one calendar apart.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_connection",
    )
    server_url = models.URLField(_("server address"), max_length=500)
    username = models.CharField(_("user name"), max_length=200)
    password = EncryptedTextField(_("password"))
    calendar_url = models.URLField(_("calendar"), max_length=1000)
    calendar_name = models.CharField(_("calendar name"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=ConnectionStatus, default=ConnectionStatus.PENDING
    )
    last_error = models.TextField(blank=True)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_full_read_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sync_token = models.CharField(max_length=500, blank=True)
    ctag = models.CharField(max_length=500, blank=True)
    sync_claimed_at = models.DateTimeField(null=True, blank=True)
    sync_wanted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar connection")
        verbose_name_plural = _("calendar connections")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.calendar_name or self.calendar_url}"


class LinkKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    SERIES = "series", _("Series")


class CalendarEventLink(models.Model):
    """A Salesteam event written into a connection's calendar, as the server confirmed it.

    A row is written only after the server accepted the write (its ETag in hand), so a
    sync cut short leaves rows for exactly what is there; the next sync rewrites the
    rest (a PUT to the same `href` is idempotent). `content_hash` is what was written:
    a changed meeting hashes differently and is written again; a changed ETag means
    someone edited Salesteam's event in their calendar, and it is written again too.
    """

    connection = models.ForeignKey(
        CalendarConnection, on_delete=models.CASCADE, related_name="links"
    )
    uid = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=LinkKind)
    object_id = models.PositiveBigIntegerField()
    href = models.CharField(max_length=1000)
    etag = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(max_length=64)
    written_at = models.DateTimeField()

    class Meta:
        verbose_name = _("calendar event written")
        verbose_name_plural = _("calendar events written")
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "uid"], name="one_link_per_connection_uid"
            )
        ]

    def __str__(self) -> str:
        return self.uid
