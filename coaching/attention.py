"""Where the manager's time goes: a month of one-on-ones and comments per rep, against
each rep's results, and the warning when that attention is upside down.

Everything is read in each rep's own calendar: their month is their local month, and a
meeting or a comment belongs to the month it fell in on their clock. What is shown is
the manager's side of the work (minutes of meetings held, notes written), never when a
rep logged anything.

- **Minutes**: one-on-ones in the wide sense (`meetings.models.ONE_ON_ONE_KINDS`: a
  one-on-one, a coaching session, a goal-setting meeting) about the rep, not cancelled,
  already begun, and not marked as missed by the rep; their booked length.
- **Check-ins**: those of them the cadence counts (`CHECK_IN_KINDS`).
- **Comments**: what someone other than the rep wrote to them: a person's kudos (not
  the system's praise) and action items set for the rep.
- **Results**: the rep's quota line for the month (`targets.quota`), and an open
  at-risk flag for the month (`targets.review.pace`).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role, Team, User
from activities.periods import MONTH, period_bounds
from meetings.models import (
    CHECK_IN_KINDS,
    ONE_ON_ONE_KINDS,
    ActionItem,
    Meeting,
    MeetingStatus,
    Participant,
)
from targets.attainment import (
    MET,
    MetricAttainment,
    attainment_for_reps,
    percent_of_target,
)
from targets.models import Flag, FlagKind, FlagStatus, Kudos
from targets.quota import is_below_quota, rep_quota_metric_slug


@dataclass(frozen=True)
class AttentionRow:
    """One rep's month: the attention they got and how their numbers went."""

    rep: User
    minutes: int
    check_ins: int
    comments: int
    quota: MetricAttainment | None  # None: the quota metric is not shown for them
    below_quota: bool  # a closed month that missed quota, or a running one behind pace
    at_risk: bool  # an open at-risk flag for the month
    last_met_at: dt.datetime | None  # the last one-on-one held, up to `as_of`
    as_of: dt.datetime  # the end of the rep's month, or now while it runs
    running: bool  # the rep's month has not ended yet

    @property
    def needs_attention(self) -> bool:
        return self.below_quota or self.at_risk

    @property
    def on_quota(self) -> bool:
        """Has a quota this month and is neither below it nor at risk."""
        has_quota = self.quota is not None and self.quota.target is not None
        return has_quota and not self.needs_attention

    @property
    def on_pace(self) -> bool:
        """On quota so far in a running month that has not met it yet: "on quota" is
        said only of a month met or closed."""
        return self.on_quota and self.running and self.quota.status != MET

    @property
    def last_met_on(self) -> dt.date | None:
        """The last one-on-one's date in the rep's calendar."""
        return self.rep.local_date(self.last_met_at) if self.last_met_at else None


@dataclass(frozen=True)
class UpsideDown:
    """Most minutes went to reps on quota while these reps, who need help, got none."""

    on_quota_percent: int
    neglected: list[User]
    days: int

    @property
    def sentence(self) -> str:
        """What the warning says, in the reader's language."""
        return ngettext(
            "%(share)s%% of the month's one-on-one minutes went to reps on quota, "
            "while %(names)s, who needs help with the numbers, had no one-on-one in "
            "the last %(days)s days.",
            "%(share)s%% of the month's one-on-one minutes went to reps on quota, "
            "while %(names)s, who need help with the numbers, had no one-on-one in "
            "the last %(days)s days.",
            len(self.neglected),
        ) % {
            "share": self.on_quota_percent,
            "names": ", ".join(str(rep) for rep in self.neglected),
            "days": self.days,
        }


@dataclass(frozen=True)
class AttentionLedger:
    team: Team
    month: dt.date  # the first of the month
    rows: list[AttentionRow]
    upside_down: UpsideDown | None

    @property
    def neglected_ids(self) -> set[int]:
        """The reps the upside-down warning names."""
        if self.upside_down is None:
            return set()
        return {rep.pk for rep in self.upside_down.neglected}

    @property
    def total_minutes(self) -> int:
        return sum(row.minutes for row in self.rows)


def month_start(value: str) -> dt.date | None:
    """The first of a "YYYY-MM" month between 1970 and 2999 (None for anything else)."""
    try:
        month = dt.datetime.strptime(value, "%Y-%m").date()  # noqa: DTZ007 (a date)
    except ValueError:
        return None
    return month if 1970 <= month.year <= 2999 and len(value) == 7 else None


def ledger_month(value: str, *, this_month: dt.date) -> dt.date:
    """The month a ledger may show, from "YYYY-MM": this month or an earlier one
    (ValidationError with the reason, for a page or the API to place)."""
    month = month_start(value)
    if month is None:
        raise ValidationError(_("Choose a month as YYYY-MM, for example 2026-03."))
    if month > this_month:
        raise ValidationError(_("Choose this month or an earlier one."))
    return month


def _local_midnight(rep: User, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=rep.zone)


def attention_upside_down(rows: list[AttentionRow]) -> UpsideDown | None:
    """The one rule for upside-down attention (None when it is the right way up).

    More than `ATTENTION_UPSIDE_DOWN_SHARE` of the month's one-on-one minutes went to
    reps on quota, while at least one rep below quota or at risk had no one-on-one in
    the `ATTENTION_NEGLECT_DAYS` days before `as_of` (the end of their month, or now).
    """
    days = settings.ATTENTION_NEGLECT_DAYS
    total = sum(row.minutes for row in rows)
    on_quota = sum(row.minutes for row in rows if row.on_quota)
    if not total or Fraction(on_quota, total) <= Fraction(
        str(settings.ATTENTION_UPSIDE_DOWN_SHARE)
    ):
        return None
    neglected = [
        row.rep
        for row in rows
        if row.needs_attention
        and (
            row.last_met_at is None
            or row.last_met_at <= row.as_of - dt.timedelta(days=days)
        )
    ]
    if not neglected:
        return None
    return UpsideDown(
        on_quota_percent=percent_of_target(Decimal(on_quota), Decimal(total)),
        neglected=neglected,
        days=days,
    )


def _one_on_ones(reps: list[User]):
    """One-on-ones about these reps that were held: not cancelled, and not missed by the
    rep (their attendance marked false)."""
    missed = Participant.objects.filter(user_id=F("meeting__rep_id"), attended=False)
    return (
        Meeting.objects.filter(rep__in=reps, kind__in=ONE_ON_ONE_KINDS)
        .exclude(status=MeetingStatus.CANCELLED)
        .exclude(pk__in=missed.values("meeting_id"))
        .order_by()
    )


def _comments_at(
    reps: list[User], start: dt.datetime, end: dt.datetime
) -> dict[int, list[dt.datetime]]:
    """When others wrote to each rep: a person's kudos and the action items set for
    them (two queries)."""
    written: dict[int, list[dt.datetime]] = {rep.pk: [] for rep in reps}
    kudos = (
        Kudos.objects.filter(
            rep__in=reps,
            is_system=False,
            given_by__isnull=False,
            created_at__gte=start,
            created_at__lte=end,
        )
        .exclude(given_by=F("rep"))
        .values_list("rep_id", "created_at")
    )
    items = (
        ActionItem.objects.filter(
            owner__in=reps,
            created_by__isnull=False,
            created_at__gte=start,
            created_at__lte=end,
        )
        .exclude(created_by=F("owner"))
        .values_list("owner_id", "created_at")
    )
    for rep_id, created_at in [*kudos.order_by(), *items.order_by()]:
        written[rep_id].append(created_at)
    return written


def attention_ledger(
    *, team: Team, month: dt.date, now: dt.datetime | None = None
) -> AttentionLedger:
    """The month's attention per active rep of the team, in nine queries at any size.

    The reps; the attainment (metrics, targets, tallies); the one-on-ones from the
    neglect window before the month to its end; the last one-on-one before that; kudos
    and action items; at-risk flags. Reps who need attention come first, then by name.
    """
    now = now or timezone.now()
    reps = list(
        team.members.filter(role=Role.REP, is_active=True)
        .select_related("team")
        .order_by("first_name", "last_name", "email")
    )
    first, last = period_bounds(period=MONTH, on=month)
    if not reps:
        return AttentionLedger(team=team, month=first, rows=[], upside_down=None)
    # Each rep's month on their clock: its first moment, its end, and what is in view
    # by now (a meeting or comment after `as_of` has not happened yet).
    bounds = {
        rep.pk: (
            _local_midnight(rep, first),
            _local_midnight(rep, last + dt.timedelta(days=1)),
        )
        for rep in reps
    }
    as_of = {rep_id: min(now, end) for rep_id, (_start, end) in bounds.items()}
    neglect = dt.timedelta(days=settings.ATTENTION_NEGLECT_DAYS)
    window_start = min(
        min(start, as_of[rep_id] - neglect) for rep_id, (start, _end) in bounds.items()
    )
    window_end = max(as_of.values())

    attainment = attainment_for_reps(reps=reps, periods=[MONTH], on=first, now=now)
    held: dict[int, list[tuple[str, dt.datetime, int]]] = {rep.pk: [] for rep in reps}
    for rep_id, kind, starts_at, minutes in (
        _one_on_ones(reps)
        .filter(starts_at__gte=window_start, starts_at__lte=window_end)
        .values_list("rep_id", "kind", "starts_at", "duration_minutes")
    ):
        held[rep_id].append((kind, starts_at, minutes))
    earlier = dict(
        _one_on_ones(reps)
        .filter(starts_at__lt=window_start)
        .values("rep_id")
        .annotate(last=Max("starts_at"))
        .values_list("rep_id", "last")
    )
    comments = _comments_at(reps, window_start, window_end)
    at_risk = set(
        Flag.objects.filter(
            rep__in=reps,
            kind=FlagKind.AT_RISK,
            status=FlagStatus.OPEN,
            period_start=first,
        ).values_list("rep_id", flat=True)
    )

    rows = []
    for rep in reps:
        start, end = bounds[rep.pk]
        seen = as_of[rep.pk]
        in_month = [
            (kind, minutes)
            for kind, starts_at, minutes in held[rep.pk]
            if start <= starts_at < end and starts_at <= seen
        ]
        before_end = [at for _kind, at, _minutes in held[rep.pk] if at <= seen]
        quota = attainment[rep.pk, MONTH].for_metric(rep_quota_metric_slug(rep))
        rows.append(
            AttentionRow(
                rep=rep,
                minutes=sum(minutes for _kind, minutes in in_month),
                check_ins=sum(
                    1 for kind, _minutes in in_month if kind in CHECK_IN_KINDS
                ),
                comments=sum(
                    1 for at in comments[rep.pk] if start <= at < end and at <= seen
                ),
                quota=quota,
                below_quota=is_below_quota(quota),
                at_risk=rep.pk in at_risk,
                last_met_at=max(before_end, default=earlier.get(rep.pk)),
                as_of=seen,
                running=now < end,
            )
        )
    rows.sort(key=lambda row: not row.needs_attention)
    return AttentionLedger(
        team=team, month=first, rows=rows, upside_down=attention_upside_down(rows)
    )
