"""What a diagnosis says: plain, frozen dataclasses (the API and pages render them)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from accounts.models import User
from coaching.diagnosis.arithmetic import FunnelCounts
from coaching.diagnosis.windows import Window
from coaching.models import FunnelStage


class ConstraintKind:
    """The four kinds of problem a constraint names."""

    VOLUME = "volume"
    CONNECTING = "connecting"
    BOOKING = "booking"
    CLOSING = "closing"  # closing or deal size

    OF_STAGE = {
        FunnelStage.VOLUME: VOLUME,
        FunnelStage.CONNECT: CONNECTING,
        FunnelStage.APPOINTMENT: BOOKING,
        FunnelStage.CLOSE: CLOSING,
        FunnelStage.DEAL_SIZE: CLOSING,
    }


@dataclass(frozen=True)
class StageResult:
    """One stage of the rep's funnel against the team's over the same window.

    Rates are exact fractions: a share for the conversions (0.31 is 31 %), calls per
    work day for volume, money for the average deal size. `rate` is the one actually
    used: the rep's own when judged, else the team's median (`judged` False: fewer
    events than DIAGNOSIS_MIN_EVENTS).
    """

    stage: str
    rep_rate: Fraction | None
    team_median: Fraction | None
    team_top_quartile: Fraction | None
    previous_rate: Fraction | None
    events: int
    judged: bool
    rate: Fraction
    gain: Fraction  # revenue gained at the team's median, everything else unchanged

    @property
    def is_percent(self) -> bool:
        return self.stage in (
            FunnelStage.CONNECT,
            FunnelStage.APPOINTMENT,
            FunnelStage.CLOSE,
        )

    @property
    def is_money(self) -> bool:
        return self.stage == FunnelStage.DEAL_SIZE


@dataclass(frozen=True)
class Constraint:
    """The stage that costs the most revenue against the team's median."""

    stage: str
    kind: str  # ConstraintKind
    lost_revenue: Decimal  # over the window, in the company currency (cents)
    rep_rate: Fraction
    team_rate: Fraction


@dataclass(frozen=True)
class Required:
    """Activity that reaches the next period's quota at given rates, rounded up.

    `rates` are the assumptions (the rates used, by stage); `calls` and the rest are
    None when a rate is zero (`reachable` False). Past the ceiling
    (`exceeds_ceiling`), activity alone cannot close the gap.
    """

    quota: Decimal
    quota_metric: str
    period: tuple[dt.date, dt.date]
    work_days: int
    rates: dict[str, Fraction]
    deals: int | None
    appointments: int | None
    connected: int | None
    calls: int | None
    calls_per_work_day: int | None
    ceiling_calls_per_work_day: Fraction | None
    exceeds_ceiling: bool

    @property
    def reachable(self) -> bool:
        return self.calls is not None

    @property
    def period_start(self) -> dt.date:
        return self.period[0]

    @property
    def period_end(self) -> dt.date:
        return self.period[1]


@dataclass(frozen=True)
class ActivityMix:
    """What the rep did in the window: calls, emails, thank-you notes, appointments."""

    calls: int
    emails: int
    thank_you_notes: int
    appointments: int
    work_days: int

    def per_work_day(self, count: int) -> Fraction | None:
        return Fraction(count, self.work_days) if self.work_days else None


@dataclass(frozen=True)
class Diagnosis:
    """Why a rep is where they are, and the activity that would close the gap."""

    rep: User
    window: Window
    counts: FunnelCounts
    previous_counts: FunnelCounts | None  # None when not read
    stages: list[StageResult]
    mix: ActivityMix
    team_size: int
    constraint: Constraint | None
    required: Required | None  # at the rep's rates; None without a quota
    required_at_team_rate: Required | None  # the constraint's stage at the team's

    def stage(self, name: str) -> StageResult:
        return next(result for result in self.stages if result.stage == name)

    @property
    def thin_stages(self) -> list[StageResult]:
        """Stages with too few events to judge: the team's rate is used."""
        return [result for result in self.stages if not result.judged]

    @property
    def revenue(self) -> Decimal:
        return self.counts.revenue

    def sentence(self, *, for_rep: bool = False) -> str:
        """The diagnosis in plain words, in the active language (render at display
        time): to the manager about the rep, or to the rep in the second person."""
        from coaching.diagnosis.sentences import diagnosis_sentence

        return diagnosis_sentence(self, for_rep=for_rep)

    def sentences(self, *, for_rep: bool = False) -> list[str]:
        """The sentence split in its parts: the constraint, thin stages, the numbers."""
        from coaching.diagnosis.sentences import diagnosis_sentences

        return diagnosis_sentences(self, for_rep=for_rep)
