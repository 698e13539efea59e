"""A diagnosis in plain words, for the manager (about the rep) and for the rep (you).

Every sentence is a whole message with named placeholders, translated in the active
language when it is rendered (render at display time, in the viewer's language);
numbers are formatted the same way: percents whole, money like the dashboard's cells
(grouped, no cents) with the company currency.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from activities.models import MetricUnit
from coaching.diagnosis.results import Diagnosis, Required, StageResult
from coaching.models import FunnelStage
from targets.amounts import amount_text

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


# The sentences, one message each, keyed by (stage, said to the rep): marked here and
# translated once when one is rendered (tables of gettext calls cost a review chunk
# half a second).
BUSY_BUT = {
    (FunnelStage.CONNECT, True): gettext_noop(
        "You make as many calls as the team, but connect on %(rep)s against "
        "the team's %(team)s."
    ),
    (FunnelStage.CONNECT, False): gettext_noop(
        "%(name)s makes as many calls as the team, but connects on %(rep)s "
        "against the team's %(team)s."
    ),
    (FunnelStage.APPOINTMENT, True): gettext_noop(
        "You make as many calls as the team, but book an appointment from "
        "%(rep)s of connected calls against the team's %(team)s."
    ),
    (FunnelStage.APPOINTMENT, False): gettext_noop(
        "%(name)s makes as many calls as the team, but books an appointment "
        "from %(rep)s of connected calls against the team's %(team)s."
    ),
    (FunnelStage.CLOSE, True): gettext_noop(
        "You make as many calls as the team, but win a deal from %(rep)s of "
        "appointments against the team's %(team)s."
    ),
    (FunnelStage.CLOSE, False): gettext_noop(
        "%(name)s makes as many calls as the team, but wins a deal from "
        "%(rep)s of appointments against the team's %(team)s."
    ),
    (FunnelStage.DEAL_SIZE, True): gettext_noop(
        "You make as many calls as the team, but your deals average %(rep)s "
        "against the team's %(team)s."
    ),
    (FunnelStage.DEAL_SIZE, False): gettext_noop(
        "%(name)s makes as many calls as the team, but their deals average "
        "%(rep)s against the team's %(team)s."
    ),
}
PLAIN = {
    (FunnelStage.CONNECT, True): gettext_noop(
        "You connect on %(rep)s of calls against the team's %(team)s."
    ),
    (FunnelStage.CONNECT, False): gettext_noop(
        "%(name)s connects on %(rep)s of calls against the team's %(team)s."
    ),
    (FunnelStage.APPOINTMENT, True): gettext_noop(
        "You book an appointment from %(rep)s of connected calls against the "
        "team's %(team)s."
    ),
    (FunnelStage.APPOINTMENT, False): gettext_noop(
        "%(name)s books an appointment from %(rep)s of connected calls "
        "against the team's %(team)s."
    ),
    (FunnelStage.CLOSE, True): gettext_noop(
        "You win a deal from %(rep)s of appointments against the team's %(team)s."
    ),
    (FunnelStage.CLOSE, False): gettext_noop(
        "%(name)s wins a deal from %(rep)s of appointments against the team's %(team)s."
    ),
    (FunnelStage.DEAL_SIZE, True): gettext_noop(
        "Your deals average %(rep)s against the team's %(team)s."
    ),
    (FunnelStage.DEAL_SIZE, False): gettext_noop(
        "%(name)s's deals average %(rep)s against the team's %(team)s."
    ),
}
THIN = {
    (FunnelStage.VOLUME, True): gettext_noop(
        "Too few work days to judge your calls a work day; the team's %(team)s is used."
    ),
    (FunnelStage.VOLUME, False): gettext_noop(
        "Too few work days to judge %(name)s's calls a work day; the team's "
        "%(team)s is used."
    ),
    (FunnelStage.CONNECT, True): gettext_noop(
        "Too few calls to judge your connect rate; the team's %(team)s is used."
    ),
    (FunnelStage.CONNECT, False): gettext_noop(
        "Too few calls to judge %(name)s's connect rate; the team's %(team)s is used."
    ),
    (FunnelStage.APPOINTMENT, True): gettext_noop(
        "Too few connected calls to judge your booking rate; the team's %(team)s "
        "is used."
    ),
    (FunnelStage.APPOINTMENT, False): gettext_noop(
        "Too few connected calls to judge %(name)s's booking rate; the team's "
        "%(team)s is used."
    ),
    (FunnelStage.CLOSE, True): gettext_noop(
        "Too few appointments to judge your closing rate; the team's %(team)s is used."
    ),
    (FunnelStage.CLOSE, False): gettext_noop(
        "Too few appointments to judge %(name)s's closing rate; the team's "
        "%(team)s is used."
    ),
    (FunnelStage.DEAL_SIZE, True): gettext_noop(
        "Too few deals to judge your average deal size; the team's %(team)s is used."
    ),
    (FunnelStage.DEAL_SIZE, False): gettext_noop(
        "Too few deals to judge %(name)s's average deal size; the team's "
        "%(team)s is used."
    ),
}
AT_TEAM_RATE = {
    (FunnelStage.VOLUME, True): gettext_noop(
        "At the team's pace that is %(per_day)s a day."
    ),
    (FunnelStage.VOLUME, False): gettext_noop(
        "At the team's pace that is %(per_day)s a day."
    ),
    (FunnelStage.CONNECT, True): gettext_noop(
        "If your connect rate reaches the team's, %(calls)s (%(per_day)s a day)."
    ),
    (FunnelStage.CONNECT, False): gettext_noop(
        "If %(name)s's connect rate reaches the team's, %(calls)s (%(per_day)s a day)."
    ),
    (FunnelStage.APPOINTMENT, True): gettext_noop(
        "If your booking rate reaches the team's, %(calls)s (%(per_day)s a day)."
    ),
    (FunnelStage.APPOINTMENT, False): gettext_noop(
        "If %(name)s's booking rate reaches the team's, %(calls)s (%(per_day)s a day)."
    ),
    (FunnelStage.CLOSE, True): gettext_noop(
        "If your closing rate reaches the team's, %(calls)s (%(per_day)s a day)."
    ),
    (FunnelStage.CLOSE, False): gettext_noop(
        "If %(name)s's closing rate reaches the team's, %(calls)s (%(per_day)s a day)."
    ),
    (FunnelStage.DEAL_SIZE, True): gettext_noop(
        "If your deals reach the team's average size, %(calls)s (%(per_day)s a day)."
    ),
    (FunnelStage.DEAL_SIZE, False): gettext_noop(
        "If %(name)s's deals reach the team's average size, %(calls)s "
        "(%(per_day)s a day)."
    ),
}


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def percent_text(rate: Fraction) -> str:
    """A share as a whole percent, rounded half up: "14 %"."""
    whole = (_decimal(rate) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return _("%(percent)s %%") % {"percent": whole}


def money_text(amount, *, about: bool = False) -> str:
    """Money as the dashboard shows it (grouped, no cents) with the currency's sign;
    `about` rounds to the hundred (to the ten under a thousand)."""
    value = _decimal(amount) if isinstance(amount, Fraction) else Decimal(amount)
    if about:
        step = Decimal(100) if abs(value) >= 1000 else Decimal(10)
        value = (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    code = settings.COMPANY_CURRENCY
    number = amount_text(value, MetricUnit.MONEY)
    # Translators: money, e.g. "€6,900"; put the sign where your language does.
    return _("%(currency)s%(amount)s") % {
        "currency": CURRENCY_SYMBOLS.get(code, f"{code} "),
        "amount": number,
    }


def count_text(value: int) -> str:
    """A count as the dashboard writes it ("48", "1,000")."""
    return amount_text(value, MetricUnit.COUNT)


def volume_text(rate: Fraction) -> str:
    """Calls a work day: whole, or with one decimal."""
    tenth = _decimal(rate).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    places = 0 if tenth == tenth.to_integral_value() else 1
    return number_format(tenth, places, use_l10n=True)


def rate_text(stage: str, rate: Fraction | None) -> str:
    if rate is None:
        return "—"
    if stage == FunnelStage.VOLUME:
        return volume_text(rate)
    if stage == FunnelStage.DEAL_SIZE:
        return money_text(rate)
    return percent_text(rate)


def _name(diagnosis: Diagnosis) -> str:
    return diagnosis.rep.first_name or str(diagnosis.rep)


def _comparison(diagnosis: Diagnosis, *, for_rep: bool) -> str:
    constraint = diagnosis.constraint
    stage = diagnosis.stage(constraint.stage)
    values = {
        "name": _name(diagnosis),
        "rep": rate_text(stage.stage, stage.rate),
        "team": rate_text(stage.stage, constraint.team_rate),
    }
    volume = diagnosis.stage(FunnelStage.VOLUME)
    busy = (
        volume.judged
        and volume.team_median is not None
        and volume.rate >= volume.team_median
    )
    if stage.stage == FunnelStage.VOLUME:
        text = (
            _("You make %(rep)s calls a work day against the team's %(team)s.")
            if for_rep
            else _(
                "%(name)s makes %(rep)s calls a work day against the team's %(team)s."
            )
        )
    elif busy:
        text = _(BUSY_BUT[stage.stage, for_rep])
    else:
        text = _(PLAIN[stage.stage, for_rep])
    return text % values


KINDS = {
    "volume": gettext_noop("Volume"),
    "connecting": gettext_noop("Connecting"),
    "booking": gettext_noop("Booking appointments"),
    "closing": gettext_noop("Closing"),
}


def kind_label(kind: str) -> str:
    """The constraint's kind as the subject of a sentence ("Connecting is where …")."""
    return _(KINDS[kind])


def _loss(diagnosis: Diagnosis) -> str:
    constraint = diagnosis.constraint
    values = {
        "kind": kind_label(constraint.kind),
        "amount": money_text(constraint.lost_revenue, about=True),
        "days": diagnosis.window.days,
    }
    if diagnosis.window.is_month:
        return _("%(kind)s is where the month was lost (about %(amount)s).") % values
    return (
        ngettext(
            "%(kind)s is where the last day was lost (about %(amount)s).",
            "%(kind)s is where the last %(days)s days were lost (about %(amount)s).",
            diagnosis.window.days,
        )
        % values
    )


def _thin(diagnosis: Diagnosis, stage: StageResult, *, for_rep: bool) -> str:
    values = {"name": _name(diagnosis), "team": rate_text(stage.stage, stage.rate)}
    return _(THIN[stage.stage, for_rep]) % values


def quota_text(required: Required) -> str:
    if required.quota_metric == "deals":
        amount = int(required.quota.to_integral_value(rounding=ROUND_HALF_UP))
        return ngettext("%(count)s deal", "%(count)s deals", amount) % {
            "count": count_text(amount)
        }
    return money_text(required.quota)


def _needs(diagnosis: Diagnosis, *, for_rep: bool) -> list[str]:
    required = diagnosis.required
    if required is None:
        month = date_format(diagnosis.window.next_period[0], "YEAR_MONTH_FORMAT")
        return [
            _("There is no quota for %(month)s to work back from.") % {"month": month}
        ]
    if not required.reachable:
        return [
            _("At these rates no amount of activity reaches the quota: a rate is zero.")
        ]
    values = {
        "name": _name(diagnosis),
        "quota": quota_text(required),
        "calls": count_text(required.calls),
        "per_day": count_text(required.calls_per_work_day),
    }
    lines = [
        (
            _("%(quota)s at your rates needs %(calls)s calls (%(per_day)s a work day).")
            if for_rep
            else _(
                "%(quota)s at %(name)s's rates needs %(calls)s calls (%(per_day)s a "
                "work day)."
            )
        )
        % values
    ]
    team = diagnosis.required_at_team_rate
    if team is not None and team.reachable and diagnosis.constraint is not None:
        stage = diagnosis.constraint.stage
        values |= {
            "calls": count_text(team.calls),
            "per_day": count_text(team.calls_per_work_day),
        }
        lines.append(_(AT_TEAM_RATE[stage, for_rep]) % values)
    if required.exceeds_ceiling and required.ceiling_calls_per_work_day is not None:
        lines.append(
            _(
                "That is more than the %(ceiling)s calls a work day we would ever "
                "propose: activity alone cannot close the gap."
            )
            % {"ceiling": volume_text(required.ceiling_calls_per_work_day)}
        )
    return lines


def diagnosis_sentences(diagnosis: Diagnosis, *, for_rep: bool = False) -> list[str]:
    """The constraint (or none), each stage too thin to judge, then the numbers."""
    if diagnosis.constraint is not None:
        lines = [_comparison(diagnosis, for_rep=for_rep), _loss(diagnosis)]
    elif for_rep:
        lines = [_("You are at or above the team's median at every stage.")]
    else:
        lines = [
            _("%(name)s is at or above the team's median at every stage.")
            % {"name": _name(diagnosis)}
        ]
    lines += [
        _thin(diagnosis, stage, for_rep=for_rep) for stage in diagnosis.thin_stages
    ]
    return lines + _needs(diagnosis, for_rep=for_rep)


def diagnosis_sentence(diagnosis: Diagnosis, *, for_rep: bool = False) -> str:
    return " ".join(diagnosis_sentences(diagnosis, for_rep=for_rep))
