"""Call events in: the dialers that send them and every call they sent.

A `CallSource` is one sender (a Twilio account, or any dialer, Zapier or n8n signing with
Standard Webhooks) with its own address (`key`) and its own secret, stored encrypted. An
`InboundCall` is one call as it arrived, written once per (source, external id) by a
unique constraint, so a retry, even a concurrent one, logs nothing twice.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.encryption import EncryptedTextField


def new_source_key() -> str:
    """The source's part of its endpoint's address: unguessable, but not its secret."""
    return secrets.token_urlsafe(18)


class CallSourceKind(models.TextChoices):
    TWILIO = "twilio", _("Twilio Voice")
    STANDARD = "standard", _("Other dialer, Zapier or n8n (Standard Webhooks)")


class CallSource(models.Model):
    """A dialer that sends call events, with the secret its requests are signed with.

    The secret is Twilio's account auth token for `twilio`, a `whsec_…` secret for
    `standard`. Without one the endpoint answers 503 and writes nothing.
    """

    name = models.CharField(_("name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CallSourceKind)
    key = models.CharField(max_length=40, unique=True, default=new_source_key)
    secret = EncryptedTextField(_("secret"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("call source")
        verbose_name_plural = _("call sources")

    def __str__(self) -> str:
        return self.name


class InboundCallStatus(models.TextChoices):
    LOGGED = "logged", _("Logged")
    UNMATCHED = "unmatched", _("Unmatched")
    DISMISSED = "dismissed", _("Dismissed")


class InboundCall(models.Model):
    """One call event as a dialer sent it, and what became of it.

    `logged`: an activity was logged for `rep`. `unmatched`: no active person has the
    number or email (or the activity was refused, see `problem`); an admin assigns it to
    a rep, which logs it then, or dismisses it. `rep_phone` / `rep_email` are what the
    event named the rep by; `other_party` is the number on the other end.
    """

    source = models.ForeignKey(
        CallSource, on_delete=models.PROTECT, related_name="calls"
    )
    external_id = models.CharField(_("external id"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=InboundCallStatus)
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbound_calls",
    )
    activity = models.OneToOneField(
        "activities.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_call",
    )
    rep_phone = models.CharField(_("rep's phone"), max_length=40, blank=True)
    rep_email = models.CharField(_("rep's email"), max_length=254, blank=True)
    other_party = models.CharField(_("other party"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=20, blank=True)
    call_status = models.CharField(_("call status"), max_length=20, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration"), null=True)
    metric_slug = models.CharField(_("metric"), max_length=40, default="calls")
    outcome = models.CharField(_("outcome"), max_length=12, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"))
    problem = models.TextField(_("problem"), blank=True)
    # SHA-256 of the event's content: a repeat with other content is refused (422).
    fingerprint = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound call")
        verbose_name_plural = _("inbound calls")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="inbound_call_once_per_source"
            ),
            models.CheckConstraint(
                condition=~Q(status="logged") | Q(rep__isnull=False),
                name="inbound_call_logged_has_rep",
            ),
        ]
        indexes = [models.Index(fields=["status", "-received_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.external_id}"
