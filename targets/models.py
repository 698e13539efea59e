"""What was agreed: targets with history, and the templates applied at onboarding."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Metric
from activities.periods import PERIOD_CHOICES
from targets.ramps import Ramp, ramp_steps, ramp_steps_check


class Target(models.Model):
    """An agreed amount of one metric per day, week or month, from a date on.

    A target is never edited once it has begun: a change closes the row (sets
    `effective_until`, the last day it was in force) and opens a new one, so attainment
    for a past period uses the target that was in force then. A daily target applies on
    the rep's work days only.

    A target that took effect today may be replaced the same day (the first day's
    agreement is what counts): the replaced row is kept, marked `superseded_at` /
    `superseded_by`, and ends the day before it began, so it is in force on no day and
    every read by date leaves it out.
    """

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=5, choices=PERIOD_CHOICES)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Why a proven rep's target went up (`targets.proven`), shown on their history.
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("superseded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["rep", "metric__sort_order", "-effective_from"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="target_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gte=F("effective_from"))
                | Q(superseded_at__isnull=False),
                name="target_range_ordered",
            ),
            models.UniqueConstraint(
                fields=["rep", "metric"],
                condition=Q(effective_until__isnull=True),
                name="one_open_target_per_metric",
            ),
        ]
        indexes = [models.Index(fields=["rep", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.rep} · {self.amount} {self.metric_id} / {self.period}"

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None


class TargetTemplate(models.Model):
    """A named set of targets (e.g. "Standard rep") applied to a rep in one go."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default for new reps"), default=False)
    # A new rep's ramp: [{"weeks": 4, "percent": 50}, …]; empty, full targets at once.
    ramp_steps = models.JSONField(
        _("ramp"), default=list, blank=True, validators=[ramp_steps_check]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("target template")
        verbose_name_plural = _("target templates")

    def __str__(self) -> str:
        return self.name


class TargetTemplateItem(models.Model):
    template = models.ForeignKey(
        TargetTemplate, on_delete=models.CASCADE, related_name="items"
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=5, choices=PERIOD_CHOICES)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["template", "metric__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "metric"], name="template_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.amount} {self.metric_id} / {self.period}"


class RepRamp(models.Model):
    """A rep's ramp: their targets count at a share of the full ones, week by week.

    Copied from the template at onboarding, so a later change to the template leaves
    the rep's ramp as agreed. Ending a ramp early keeps the weeks before as they were.
    Every change is a `RampChange` with its reason.
    """

    rep = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ramp"
    )
    template = models.ForeignKey(
        TargetTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("ramp starts on"))
    steps = models.JSONField(_("ramp"), validators=[ramp_steps_check])
    ended_on = models.DateField(_("full targets from"), null=True, blank=True)

    class Meta:
        verbose_name = _("ramp")
        verbose_name_plural = _("ramps")

    def __str__(self) -> str:
        return f"{self.rep} · {self.starts_on}"

    @property
    def curve(self) -> Ramp:
        return Ramp(self.starts_on, ramp_steps(self.steps), self.ended_on)


class RampChangeKind(models.TextChoices):
    STARTED = "started", _("Ramp started")
    CHANGED = "changed", _("Ramp changed")
    ENDED = "ended", _("Ramp ended early")


class RampChange(models.Model):
    """What happened to a rep's ramp, when, by whom and why (history, never edited)."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ramp_changes"
    )
    kind = models.CharField(_("change"), max_length=10, choices=RampChangeKind)
    steps = models.JSONField(_("ramp"), default=list, blank=True)
    ended_on = models.DateField(_("full targets from"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"))
    # A start from a template: its reason is said in the reader's language (`reason_text`).
    template = models.ForeignKey(
        TargetTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["rep", "-changed_at", "-pk"]
        verbose_name = _("ramp change")
        verbose_name_plural = _("ramp changes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.rep}"

    @property
    def reason_text(self) -> str:
        """The reason as the reader reads it: a start from a template in their language."""
        if self.template_id is None:
            return self.reason
        return _("From the template “%(template)s”.") % {"template": self.template.name}


class FlagKind(models.TextChoices):
    BELOW_QUOTA = "below_quota", _("Below quota")
    ACTIVITY_DIP = "activity_dip", _("Activity dip")
    AT_RISK = "at_risk", _("Quota at risk")
    # Missed the ramped targets for RAMP_MISSED_WEEKS ramp weeks in a row: coaching,
    # not a plan (only below-quota flags open plans).
    RAMP_BEHIND = "ramp_behind", _("Behind on ramp")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Flag(models.Model):
    """A result that needs a manager's attention, raised by the periodic review.

    One per (rep, kind, metric, period start): running the review twice raises nothing new.
    """

    # Found through an index that starts with it: none of its own to write on insert.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="flags",
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FlagKind)
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=5, choices=PERIOD_CHOICES)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2)
    percent = models.IntegerField(_("percent"))
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus, default=FlagStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "kind", "metric", "period_start"],
                name="one_flag_per_period",
            )
        ]
        indexes = [models.Index(fields=["rep", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.rep} · {self.period_start}"


class MonthResult(models.Model):
    """Whether a rep met their quota in a closed month: the memory behind streaks."""

    # Found through an index that starts with it: none of its own to write on insert.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="month_results",
        db_index=False,
    )
    month_start = models.DateField()
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    actual = models.DecimalField(max_digits=14, decimal_places=2)
    met = models.BooleanField()

    class Meta:
        ordering = ["rep", "-month_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "month_start"], name="one_result_per_month"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.rep} · {self.month_start:%Y-%m} · {'met' if self.met else 'missed'}"
        )


class Kudos(models.Model):
    """Praise: from the system for a streak of months on quota, or from a manager."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="kudos"
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.CharField(_("message"), max_length=300)
    is_system = models.BooleanField(default=False)
    period_start = models.DateField(null=True, blank=True)
    streak = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kudos")
        verbose_name_plural = _("kudos")
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "period_start"],
                condition=Q(is_system=True),
                name="one_system_kudos_per_month",
            )
        ]

    def __str__(self) -> str:
        return self.message


class ReviewState(models.Model):
    """The last local date a rep was reviewed on: reps whose day has not closed are skipped."""

    rep = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_state"
    )
    last_local_date = models.DateField()
    reviewed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.rep} · {self.last_local_date}"


class PersonalGoal(models.Model):
    """A rep's own goal above an agreed target: theirs to set, and to share or not.

    One per (rep, metric, period). Their manager sees it only while `shared` is on.
    """

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="personal_goals",
    )
    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=5, choices=PERIOD_CHOICES)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    shared = models.BooleanField(_("shared with my manager"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rep", "metric__sort_order", "period"]
        verbose_name = _("personal goal")
        verbose_name_plural = _("personal goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="personal_goal_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["rep", "metric", "period"], name="one_personal_goal_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rep} · {self.amount} {self.metric_id} / {self.period}"
