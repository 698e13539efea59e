"""What was agreed: targets with history, and the templates applied at onboarding."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Metric
from activities.periods import PERIOD_CHOICES


class Target(models.Model):
    """An agreed amount of one metric per day, week or month, from a date on.

    A target is never edited once it has begun: a change closes the row (sets
    `effective_until`, the last day it was in force) and opens a new one, so attainment
    for a past period uses the target that was in force then. A daily target applies on
    the rep's work days only.
    """

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
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
    created_at = models.DateTimeField(auto_now_add=True)

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
                | Q(effective_until__gte=F("effective_from")),
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


class TargetTemplate(models.Model):
    """A named set of targets (e.g. "Standard rep") applied to a rep in one go."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default for new reps"), default=False)

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
