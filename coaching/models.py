"""Helping a rep who needs it: improvement plans and the goals agreed in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class GoalsFrom(models.TextChoices):
    """Where a plan's first goals came from."""

    DIAGNOSIS = "diagnosis", _("Proposed by the diagnosis")
    TARGETS = "targets", _("Copied from the activity targets (too little data)")


class ImprovementPlan(models.Model):
    """Help for a rep below quota: agreed activity goals, weekly check-ins, monitoring.

    Opened with a below-quota flag (one plan per flag); closes itself once the rep meets
    quota for `recovery_months` months in a row, or when the manager closes it.
    """

    # Found through an index that starts with it: none of its own to write on insert.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="improvement_plans",
        db_index=False,
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
    # How the goals were prefilled ("" for plans opened before the diagnosis). The
    # database default lets code from before the column open plans during a deploy.
    goals_from = models.CharField(
        _("goals from"), max_length=10, choices=GoalsFrom, blank=True, db_default=""
    )

    class Meta:
        db_table = "meetings_improvementplan"  # moved from meetings: no row moved
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        indexes = [models.Index(fields=["rep", "status"])]

    def __str__(self) -> str:
        return f"{self.rep} · {self.get_status_display()}"


class FunnelStage(models.TextChoices):
    """The stages of a rep's funnel, in order (coaching.diagnosis)."""

    VOLUME = "volume", _("Calls per work day")
    CONNECT = "connect", _("Call → connected")
    APPOINTMENT = "appointment", _("Connected → appointment")
    CLOSE = "close", _("Appointment → won deal")
    DEAL_SIZE = "deal_size", _("Average deal size")


class PlanGoal(models.Model):
    """A goal agreed in the plan: an activity goal (a metric per period, pre-filled from
    the diagnosis' back-solve or the rep's targets) or a rate goal for one funnel stage.

    A rate goal has a `stage` and no metric: `amount` is a percent for the conversion
    stages, calls per work day for volume and money for the average deal size;
    `baseline` is the rep's own rate when the plan opened.
    """

    # Found through an index that starts with it: none of its own to write on insert.
    plan = models.ForeignKey(
        ImprovementPlan, on_delete=models.CASCADE, related_name="goals", db_index=False
    )
    metric = models.ForeignKey(
        "activities.Metric",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    stage = models.CharField(
        _("stage"), max_length=12, choices=FunnelStage, blank=True, default=""
    )
    period = models.CharField(max_length=5, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    baseline = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        db_table = "meetings_plangoal"
        ordering = ["metric__sort_order", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "metric"], name="one_goal_per_metric"
            ),
            models.UniqueConstraint(
                fields=["plan", "stage"],
                condition=~models.Q(stage=""),
                name="one_goal_per_stage",
            ),
            models.CheckConstraint(
                condition=(models.Q(metric__isnull=False) & models.Q(stage=""))
                | (models.Q(metric__isnull=True) & ~models.Q(stage="")),
                name="plan_goal_metric_or_stage",
            ),
        ]

    def __str__(self) -> str:
        if self.stage:
            return f"{self.stage} ≥ {self.amount}"
        return f"{self.amount} {self.metric_id} / {self.period}"

    @property
    def is_rate(self) -> bool:
        return bool(self.stage)

    @property
    def label(self) -> str:
        """The metric's name for an activity goal, the stage's for a rate goal."""
        return self.metric.label if self.metric_id else self.get_stage_display()
