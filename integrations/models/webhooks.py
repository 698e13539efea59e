"""Signed webhooks out: admins' subscriptions, the events announced, each delivery's log.

An event (`WebhookEvent`) is written once, with its payload, whatever the number of
subscriptions; each subscription that listens gets one `WebhookDelivery` of it, and each
try to send that delivery is a `WebhookAttempt`. A replay is a new delivery of the same
event (same `webhook-id`), so the log keeps the first one as it was.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.encryption import EncryptedTextField


class DisabledReason(models.TextChoices):
    NONE = "", _("enabled")
    BY_ADMIN = "admin", _("disabled by an admin")
    FAILURES = "failures", _("disabled after failed deliveries")


class WebhookSubscription(models.Model):
    """An address that receives the events it lists, signed with its own secret.

    `secret` signs every message; after a rotation `previous_secret` signs them too
    until `previous_secret_expires_at`, so a receiver can switch without losing one.
    """

    url = models.URLField(_("address"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("enabled"), default=True)
    secret = EncryptedTextField()
    previous_secret = EncryptedTextField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(
        max_length=10, choices=DisabledReason, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.description or self.url


class WebhookEvent(models.Model):
    """Something that happened, announced once to every subscription that listens.

    Written by the subscriber to `core.events` as soon as it hears of the event (so a
    broker outage loses nothing), and given its payload by the fan-out task.
    """

    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(max_length=40)
    ids = models.JSONField(default=dict)
    payload = models.JSONField(null=True, blank=True)
    occurred_at = models.DateTimeField()
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["occurred_at"],
                condition=models.Q(fanned_out_at=None),
                name="webhook_event_to_fan_out",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.message_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("delivered")
    FAILED = "failed", _("failed")


class WebhookDelivery(models.Model):
    """One event for one subscription, tried until it succeeds or runs out of attempts.

    The last attempt's outcome is copied here, so the log lists deliveries in one query.
    """

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        WebhookEvent, on_delete=models.CASCADE, related_name="deliveries"
    )
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"],
                condition=models.Q(replay_of=None),
                name="webhook_delivery_once_per_subscription",
            )
        ]
        indexes = [
            models.Index(fields=["subscription", "-id"], name="webhook_delivery_log"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id}"


class WebhookAttempt(models.Model):
    """One try to send a delivery: when, how long, the answer (or the error)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    succeeded = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    response_body = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="webhook_attempt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"
