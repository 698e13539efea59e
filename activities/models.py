"""What reps did: metrics, activities, deals, contacts and the per-day tally."""

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_QUANTITY = 500


class MetricKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    RESULT = "result", _("Result")


class MetricUnit(models.TextChoices):
    COUNT = "count", _("Count")
    MONEY = "money", _("Money")


class Metric(models.Model):
    """Something that is counted (calls) or summed (revenue) and can carry a target.

    It lives here rather than in `targets` because an activity points at its metric and a
    lower layer may not import a higher one. A retired metric (`is_active=False`) keeps
    its history but can no longer be logged or targeted.
    """

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(
        _("kind"), max_length=10, choices=MetricKind, default=MetricKind.ACTIVITY
    )
    unit = models.CharField(
        _("unit"), max_length=10, choices=MetricUnit, default=MetricUnit.COUNT
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the current language (seeded names are in the message catalogue)."""
        return gettext(self.name)

    @property
    def is_money(self) -> bool:
        return self.unit == MetricUnit.MONEY


class CallOutcome(models.TextChoices):
    CONNECTED = "connected", _("Connected")
    VOICEMAIL = "voicemail", _("Voicemail")
    NO_ANSWER = "no_answer", _("No answer")


class Source(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    # Call events from a dialer (Twilio, or any tool signing with Standard Webhooks).
    DIALER = "dialer", _("Dialer")


class Contact(models.Model):
    """A person a rep talks to: the light CRM that activities and deals point to."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=120)
    company = models.CharField(_("company"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


class Activity(models.Model):
    """One logged piece of work: a call, an appointment, a thank-you note …

    `local_date` is the date in the rep's time zone at `occurred_at`, computed and stored
    when the entry is written, so a later change of zone does not move history.
    """

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    metric = models.ForeignKey(
        Metric, verbose_name=_("metric"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    occurred_at = models.DateTimeField(_("occurred at"))
    local_date = models.DateField(_("local date"))
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=CallOutcome, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source, default=Source.WEB
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=MAX_QUANTITY),
                name="activity_quantity_range",
            ),
        ]
        indexes = [
            models.Index(fields=["rep", "local_date"]),
            models.Index(fields=["rep", "-occurred_at"]),
            # The admin's list (every rep): its page in the list's order without
            # sorting the whole table (issue 18; a manager's is read per rep).
            models.Index(fields=["-occurred_at", "-id"], name="activity_newest_first"),
            # The diagnosis' connected calls a rep and window (the review's plans, the
            # funnel): outcomes are not in the day tallies, and only calls carry one,
            # so these rows are read from the index alone (issue 15, speed).
            models.Index(
                fields=["rep", "local_date"],
                include=["metric", "quantity"],
                condition=Q(outcome=CallOutcome.CONNECTED),
                name="activity_connected_calls",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.metric_id} ({self.local_date})"


class Deal(models.Model):
    """Won business: it feeds the `deals` (count) and `revenue` (sum) tallies.

    `amount` is in the company currency (settings.COMPANY_CURRENCY).
    """

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.PROTECT,
        related_name="deals",
    )
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    closed_at = models.DateTimeField(_("closed at"))
    local_date = models.DateField(_("local date"))
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source, default=Source.WEB
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-closed_at", "-id"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="deal_amount_positive"
            )
        ]
        indexes = [models.Index(fields=["rep", "local_date"])]

    def __str__(self) -> str:
        return self.title


class DayTally(models.Model):
    """Per rep, metric and local day: the sum of quantities and amounts.

    Kept in step with activities and deals inside the same transaction as every write,
    so dashboards read a handful of rows instead of the raw history.
    """

    # No index of its own: the (rep, local_date) index serves every lookup by rep, and
    # a second one tempted PostgreSQL into scanning a rep's whole history for a month.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="day_tallies",
        db_index=False,
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    local_date = models.DateField()
    quantity = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("day tally")
        verbose_name_plural = _("day tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["rep", "metric", "local_date"], name="day_tally_unique"
            )
        ]
        indexes = [models.Index(fields=["rep", "local_date"])]

    def __str__(self) -> str:
        return f"{self.rep_id} {self.metric_id} {self.local_date}: {self.quantity}"


class IdempotentRequest(models.Model):
    """The first response to a POST that carried an `Idempotency-Key` header.

    A retry with the same key from the same user gets this response back and writes
    nothing; the unique constraint settles a race between two retries.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=255)
    # SHA-256 of the request body: the same key with another body is refused, not replayed.
    request_fingerprint = models.CharField(max_length=64, blank=True, default="")
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(encoder=DjangoJSONEncoder)
    # Indexed for the periodic sweep of expired keys.
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="idempotency_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
