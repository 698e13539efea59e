"""People: users with a role and a home time zone, the teams they belong to, invitations."""

import datetime as dt
import secrets
import zoneinfo

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.indexes import ACTIVE_REPS
from accounts.timezones import validate_timezone

# Named here by older migrations, so they are imported into this module.
from accounts.validators import (
    NO_NUL,
    PHONE_TAKEN,
    default_work_days,
    validate_phone,
    validate_start_date,
    validate_work_days,
)


class Role(models.TextChoices):
    REP = "rep", _("Rep")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Admin")


class AutonomyLevel(models.TextChoices):
    """How closely a rep is watched; `meetings` moves reps between levels."""

    NEW = "new", _("New")
    RAMPING = "ramping", _("Ramping")
    ESTABLISHED = "established", _("Established")
    AUTONOMOUS = "autonomous", _("Autonomous")


# Levels trusted to run their own day: spared activity-dip flags while on quota, and
# frequent check-ins send them the wrong message.
TRUSTED_LEVELS = frozenset({AutonomyLevel.ESTABLISHED, AutonomyLevel.AUTONOMOUS})


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    GREEK = "el", _("Greek")


class UserManager(BaseUserManager):
    """Users log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **fields)


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True, validators=NO_NUL)
    manager = models.ForeignKey(
        "accounts.User",
        verbose_name=_("manager"),
        on_delete=models.PROTECT,
        related_name="managed_teams",
        limit_choices_to={"role__in": [Role.MANAGER, Role.ADMIN]},
    )
    description = models.TextField(_("description"), blank=True, validators=NO_NUL)
    leaderboard_visible_to_reps = models.BooleanField(
        _("reps can see the leaderboard"), default=True
    )
    quota_metric = models.SlugField(
        _("quota metric"),
        max_length=40,
        default="revenue",
        help_text=_(
            "The result metric whose monthly target is the team's sales quota."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            # "Alpha" and "alpha" would send an import row to the wrong manager.
            models.UniqueConstraint(
                Lower("name"),
                name="team_name_unique_ignoring_case",
                violation_error_message=_("A team with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude=None) -> None:
        """The name's case-insensitive uniqueness is reported beside the name field."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(
                {
                    "name" if field == "__all__" else field: messages
                    for field, messages in error.error_dict.items()
                }
            ) from error


class User(AbstractUser):
    """A person in the sales organisation.

    Everything "local" about a rep (their day, week, work hours) is read in `timezone`.
    A superuser counts as an admin whatever `role` says.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True, validators=NO_NUL)
    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=NO_NUL
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=NO_NUL
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.REP)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    work_days = models.JSONField(
        _("work days"),
        default=default_work_days,
        validators=[validate_work_days],
        help_text=_("ISO weekday numbers: 1 is Monday, 7 is Sunday."),
    )
    work_start = models.TimeField(_("work starts"), default=dt.time(9, 0))
    work_end = models.TimeField(_("work ends"), default=dt.time(17, 0))
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=[validate_start_date]
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language, default=Language.ENGLISH
    )
    title = models.CharField(
        _("job title"), max_length=100, blank=True, validators=NO_NUL
    )
    # E.164 (`validators.phone_normalised`), unique when set: call events match it.
    phone = models.CharField(
        _("phone"),
        max_length=40,
        blank=True,
        validators=[*NO_NUL, validate_phone],
        help_text=_("With the country code, e.g. +30 210 123 4567."),
    )
    autonomy_level = models.CharField(
        _("autonomy level"),
        max_length=12,
        choices=AutonomyLevel,
        default=AutonomyLevel.NEW,
    )
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    email_notifications = models.BooleanField(
        _("email me notifications"),
        default=True,
        help_text=_("Flags, praise and booked meetings also arrive by email."),
    )
    weekly_digest = models.BooleanField(
        _("weekly digest"), default=True, help_text=_("A summary of the week by email.")
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["first_name", "last_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.REP) | Q(team__isnull=False),
                name="rep_has_team",
                violation_error_message=_("A rep must belong to a team."),
            ),
            models.CheckConstraint(
                condition=Q(work_start__lt=models.F("work_end")),
                name="work_hours_ordered",
                violation_error_message=_("Work must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~Q(phone=""),
                name="user_phone_unique",
                violation_error_message=PHONE_TAKEN,
            ),
        ]
        indexes = [models.Index(fields=["team", "role"]), ACTIVE_REPS]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def validate_constraints(self, exclude=None) -> None:
        """A phone number someone else has is named beside the phone field."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            found, taken = error.message_dict, str(PHONE_TAKEN)
            if taken in found.get("__all__", []):
                found["__all__"].remove(taken)
                found = {key: value for key, value in found.items() if value}
                found["phone"] = [*found.get("phone", []), taken]
            raise ValidationError(found) from error

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    @property
    def is_rep(self) -> bool:
        return self.role == Role.REP and not self.is_superuser

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_now(self, now: dt.datetime | None = None) -> dt.datetime:
        return (now or timezone.now()).astimezone(self.zone)

    def local_date(self, at: dt.datetime | None = None) -> dt.date:
        return self.local_now(at).date()


def new_invitation_secret() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """A single-use, expiring link that lets a new user choose a password.

    The link carries a signed (id, secret) pair; the secret is rotated on resend so an
    earlier email stops working.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    secret = models.CharField(max_length=64, default=new_invitation_secret)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.user} ({self.status})"

    STATUS_LABELS = {
        "accepted": _("Accepted"),
        "revoked": _("Revoked"),
        "expired": _("Expired"),
        "pending": _("Pending"),
    }

    def get_status_label(self) -> str:
        return str(self.STATUS_LABELS[self.status])

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class ImportJob(models.Model):
    """A bulk CSV import of people, run in the request or, when large, by a worker.

    Progress is written while rows are validated (outside the import transaction, so the
    page can poll it); the import itself is all-or-nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a worker")
        VALIDATING = "validating", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255, blank=True)
    content = models.TextField()
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("people import")
        verbose_name_plural = _("people imports")

    def __str__(self) -> str:
        return f"{self.filename or 'import'} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return int(100 * self.processed_rows / self.total_rows)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Notification(models.Model):
    """Something a person should know about, shown in the app (and emailed if they like).

    `key` makes notifications idempotent: a job that runs twice notifies once.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="notification_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
