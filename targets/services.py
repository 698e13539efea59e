"""Every write about targets: setting them (with history), templates, acknowledging,
and what people do with the review's output (kudos, resolving flags)."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.notifications import notify
from accounts.permissions import is_staff_member, may_manage
from activities.models import Metric, MetricUnit
from activities.periods import PERIODS
from core import events
from targets.attainment import MET, attainment_for_ranges
from targets.models import Flag, FlagKind, FlagStatus, Kudos, Target, TargetTemplate
from targets.proven import proven_raise, proven_reason_message, raise_told
from targets.ramp_services import ramps_start_for_new_reps
from targets.review.dips import quiet_month_ranges, quiet_rep_ids

MAX_TARGET_AMOUNT = Decimal("999999999999.99")


def _amount_errors(amount) -> list[str]:
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        return [_("Enter a number such as 25.")]
    if not amount.is_finite() or amount <= 0:
        return [_("A target must be more than zero.")]
    if amount > MAX_TARGET_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        return [_("Enter a number with at most two decimal places.")]
    return []


def count_amount_errors(metric: Metric, amount) -> list[str]:
    """A count metric's target or goal is a whole number: nobody makes half a call.
    Only judges an amount that is otherwise a valid number."""
    if metric.unit != MetricUnit.COUNT:
        return []
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, ValueError, TypeError):
        return []
    if not amount.is_finite() or amount == amount.to_integral_value():
        return []
    return [_("%(metric)s are counted in whole numbers.") % {"metric": metric.label}]


def _metric_errors(metric: Metric) -> list[str]:
    if not metric.is_active:
        return [_("%(metric)s is retired.") % {"metric": metric.label}]
    return []


@transaction.atomic
def target_set(
    *,
    rep: User,
    metric: Metric,
    period: str,
    amount: Decimal,
    effective_from: dt.date,
    by: User | None,
    note: str = "",
    reason: str = "",
    now: dt.datetime | None = None,
    announce: bool = True,
) -> Target:
    """Agree a new target for a rep's metric from `effective_from` on.

    A target that has not begun yet is replaced in place; one that has begun is closed
    the day before `effective_from` and a new row is opened, so past periods keep their
    target. One that took effect today may be replaced from today: it is kept, marked
    superseded, and counts on no day. `by` is a manager or admin (None: the system,
    which may back-date). A target a person set is announced as `target.agreed`
    unless `announce` is off (callers that announce several at once). A person who
    raises a proven rep's target gives a `reason` and the rep is told (`targets.proven`).
    """
    if by is not None and not (is_staff_member(by) and may_manage(by, rep)):
        raise PermissionDenied(_("Only the rep's manager or an admin may set targets."))
    today = rep.local_date(now)
    errors = {
        "period": [] if period in PERIODS else [_("Choose day, week or month.")],
        "amount": _amount_errors(amount) or count_amount_errors(metric, amount),
        "metric": _metric_errors(metric),
        "effective_from": [],
    }
    if by is not None and effective_from < today:
        errors["effective_from"].append(
            _(
                "A new target can start today (%(today)s) at the earliest; past "
                "periods keep the targets that were in force."
            )
            % {"today": date_format(today)}
        )
    reason = (reason or "").strip()[:500]
    raised = (
        by is not None
        and not errors["amount"]
        and proven_raise(
            rep=rep, metric=metric, period=period, amount=amount, today=today, now=now
        )
    )
    if raised and not reason:
        errors["reason"] = [proven_reason_message(rep)]
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)

    overlapping = Target.objects.select_for_update().filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=effective_from),
        rep=rep,
        metric=metric,
    )
    for current in overlapping:
        begun = current.effective_from <= today
        if current.effective_from < effective_from:
            current.effective_until = effective_from - dt.timedelta(days=1)
            current.save(update_fields=["effective_until"])
        elif not begun:
            # Never in force: nothing to keep.
            current.delete()
        elif current.effective_from == effective_from == today:
            # Day one: the agreement replaces what took effect this morning.
            _target_supersede(target=current, by=by, now=now)
        else:
            raise ValidationError(
                {
                    "effective_from": [
                        _(
                            "The current target has been in force since %(since)s; "
                            "a change can start the day after at the earliest."
                        )
                        % {"since": date_format(current.effective_from)}
                    ]
                }
            )
    target = Target.objects.create(
        rep=rep,
        metric=metric,
        period=period,
        amount=Decimal(str(amount)),
        effective_from=effective_from,
        set_by=by,
        note=note,
        reason=reason,
    )
    if raised:
        raise_told(target=target, previous=raised)
    if announce and by is not None:
        events.publish("target.agreed", rep_id=rep.pk, target_ids=[target.pk])
    return target


def _target_supersede(*, target: Target, by: User | None, now: dt.datetime | None):
    """Keep a target replaced on its first day, in force on no day (see `Target`)."""
    target.effective_until = target.effective_from - dt.timedelta(days=1)
    target.superseded_at = now or timezone.now()
    target.superseded_by = by
    target.save(update_fields=["effective_until", "superseded_at", "superseded_by"])


@transaction.atomic
def targets_agree(
    *,
    rep: User,
    amounts: list[tuple[Metric, str, Decimal]],
    effective_from: dt.date,
    by: User,
    reason: str = "",
    now: dt.datetime | None = None,
) -> list[Target]:
    """Record the targets a manager and a rep just agreed: (metric, period, amount) each.

    Every one goes through `target_set` (on day one it replaces the template's target);
    one that equals the target in force is left alone. All or nothing: the errors of
    every row are raised together, keyed by the metric's slug.
    """
    today = rep.local_date(now)
    in_force = {
        target.metric_id: target
        for target in Target.objects.filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=today),
            rep=rep,
            effective_from__lte=today,
        )
    }
    errors: dict[str, list[str]] = {}
    changed = []
    for metric, period, amount in amounts:
        current = in_force.get(metric.pk)
        if current and (current.period, current.amount) == (period, amount):
            continue
        try:
            changed.append(
                target_set(
                    rep=rep,
                    metric=metric,
                    period=period,
                    amount=amount,
                    effective_from=effective_from,
                    by=by,
                    reason=reason,
                    now=now,
                    announce=False,
                )
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                key = field if field in ("effective_from", "reason") else metric.slug
                errors.setdefault(key, [])
                errors[key].extend(m for m in messages if m not in errors[key])
    if errors:
        raise ValidationError(errors)
    if changed:
        events.publish(
            "target.agreed", rep_id=rep.pk, target_ids=[t.pk for t in changed]
        )
    return changed


@transaction.atomic
def targets_apply_template(
    *,
    rep: User,
    template: TargetTemplate,
    by: User | None,
    effective_from: dt.date,
    now: dt.datetime | None = None,
) -> list[Target]:
    """Give a rep every target of a template (e.g. "Standard rep" at onboarding)."""
    return [
        target_set(
            rep=rep,
            metric=item.metric,
            period=item.period,
            amount=item.amount,
            effective_from=effective_from,
            by=by,
            note=_("From the template “%(template)s”.") % {"template": template.name},
            now=now,
            announce=False,
        )
        for item in template.items.select_related("metric")
    ]


@transaction.atomic
def targets_apply_template_to_new_reps(
    *,
    reps: list[User],
    template: TargetTemplate,
    by: User | None,
    now: dt.datetime | None = None,
) -> int:
    """Onboarding: give new reps (without any target yet) a template's targets, in bulk.

    They start on the rep's start date, or today in the rep's zone if that is later, and
    wait for the rep to agree; so does the template's ramp, if it has one. Returns the
    number of targets created.
    """
    reps = [rep for rep in reps if rep.is_rep]
    has_targets = set(
        Target.objects.filter(rep__in=reps).values_list("rep_id", flat=True).distinct()
    )
    items = list(template.items.select_related("metric"))
    note = _("From the template “%(template)s”.") % {"template": template.name}
    targets, starts_of = [], {}
    for rep in reps:
        if rep.pk in has_targets:
            continue
        today = rep.local_date(now)
        starts = max(rep.start_date or today, today)
        # The ramp counts in the rep's calendar from their first day, even if their
        # targets begin later.
        starts_of[rep] = rep.start_date or starts
        targets.extend(
            Target(
                rep=rep,
                metric=item.metric,
                period=item.period,
                amount=item.amount,
                effective_from=starts,
                set_by=by,
                note=note,
            )
            for item in items
            if item.metric.is_active
        )
    Target.objects.bulk_create(targets, batch_size=1000)
    ramps_start_for_new_reps(starts=starts_of, template=template, by=by, now=now)
    return len(targets)


@transaction.atomic
def target_acknowledge(
    *, target: Target, by: User, now: dt.datetime | None = None
) -> Target:
    """The rep agrees to a target ("I agree"); doing it again changes nothing."""
    if by.pk != target.rep_id:
        raise PermissionDenied(_("Only the rep can agree to their own targets."))
    if target.agreed_at is None:
        target.agreed_at = now or timezone.now()
        target.save(update_fields=["agreed_at"])
        events.publish("target.agreed", rep_id=target.rep_id, target_ids=[target.pk])
    return target


# --- The review's output: praise and flags -----------------------------------------


@transaction.atomic
def kudos_give(*, rep: User, by: User, message: str) -> Kudos:
    """A manager's own praise, for any reason; the rep is notified."""
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say what the kudos is for.")})
    if rep.pk == by.pk or not may_manage(by, rep) or by.role == Role.REP:
        raise ValidationError(
            {"rep": _("You can give kudos to the reps of your teams.")}
        )
    praise = Kudos.objects.create(rep=rep, given_by=by, message=message[:300])
    notify(
        user=rep,
        key=f"kudos:{praise.pk}",
        kind="kudos",
        title=_("Kudos from %(name)s") % {"name": by},
        body=praise.message,
        url="/",
    )
    events.publish("kudos.given", kudos_id=praise.pk)
    return praise


@transaction.atomic
def flag_resolve(*, flag: Flag) -> Flag:
    """Mark an open flag resolved (a resolved one is left as it is)."""
    if flag.status == FlagStatus.OPEN:
        flag.status = FlagStatus.RESOLVED
        flag.resolved_at = timezone.now()
        flag.save(update_fields=["status", "resolved_at"])
        events.publish("flag.resolved", flag_id=flag.pk)
    return flag


def dip_flags_refresh(*, rep_id: int, now: dt.datetime | None = None) -> int:
    """Resolve a rep's open activity-dip flags once today's activity meets the target,
    or all of them once the rep has earned quiet (`targets.review.dips.earned_quiet`).

    Runs after each logged activity (on a worker), so a rep climbing out of a dip sees
    the flag go the same day rather than at the next review.
    """
    now = now or timezone.now()
    flags = list(
        Flag.objects.filter(
            rep_id=rep_id, kind=FlagKind.ACTIVITY_DIP, status=FlagStatus.OPEN
        ).select_related("rep__team", "metric")
    )
    if not flags:
        return 0
    rep = flags[0].rep
    today = rep.local_date(now)
    by_range = attainment_for_ranges(
        reps=[rep],
        ranges={(rep.pk, "today"): (today, today)} | quiet_month_ranges([rep], now),
        now=now,
    )
    attainment = by_range[rep.pk, "today"]
    quiet = quiet_rep_ids([rep], by_range, now)
    resolved = 0
    for flag in flags:
        item = attainment.for_metric(flag.metric.slug)
        if quiet or (item is not None and item.status == MET):
            flag_resolve(flag=flag)
            resolved += 1
    return resolved


def dip_flags_sweep(*, now: dt.datetime | None = None) -> int:
    """Refresh every rep with an open activity-dip flag: the retry of the per-activity
    check that a broker outage kept from being queued. Returns the flags resolved."""
    now = now or timezone.now()
    rep_ids = (
        Flag.objects.filter(kind=FlagKind.ACTIVITY_DIP, status=FlagStatus.OPEN)
        .values_list("rep_id", flat=True)
        .distinct()
        .order_by("rep_id")
    )
    return sum(dip_flags_refresh(rep_id=rep_id, now=now) for rep_id in rep_ids)
