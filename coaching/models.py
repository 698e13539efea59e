"""Helping a rep who needs it: improvement plans and the goals agreed in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ImprovementPlan(models.Model):
    """Help for a rep below quota: agreed activity goals, weekly check-ins, monitoring.

    Opened with a below-quota flag (one plan per flag); closes itself once the rep meets
    quota for `recovery_months` months in a row, or when the manager closes it.
    """

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="improvement_plans",
    )
    flag = models.OneToOneField(
        "targets.Flag", on_delete=models.CASCADE, related_name="improvement_plan"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus, default=PlanStatus.OPEN
    )
    opened_at = models.DateTimeField()
    review_until = models.DateField(
        _("review until"),
        help_text=_(
            "The plan is reviewed at least until this date; managers extend it."
        ),
    )
    recovery_months = models.PositiveSmallIntegerField(default=1)
    check_in_days = models.PositiveSmallIntegerField(default=7)
    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_plan",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # The last time no shared free slot was found; the next try waits a day.
    booking_failed_at = models.DateTimeField(null=True, blank=True)
    # When the one-on-one's invitation went out (claimed before sending: once only).
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "meetings_improvementplan"  # moved from meetings: no row moved
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        indexes = [models.Index(fields=["rep", "status"])]

    def __str__(self) -> str:
        return f"{self.rep} · {self.get_status_display()}"


class PlanGoal(models.Model):
    """An activity goal agreed in the plan (pre-filled from the rep's targets)."""

    plan = models.ForeignKey(
        ImprovementPlan, on_delete=models.CASCADE, related_name="goals"
    )
    metric = models.ForeignKey(
        "activities.Metric", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=5)
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        db_table = "meetings_plangoal"
        ordering = ["metric__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "metric"], name="one_goal_per_metric"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.metric_id} / {self.period}"
