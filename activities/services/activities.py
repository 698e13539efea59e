"""Logging, editing and deleting activities, with the day tally kept in step.

History (django-simple-history) is kept for edits and deletes, not for inserts: the
activity itself is the record of what was logged, by whom (`created_by`) and when
(`created_at`). Before an activity's first edit or delete its first version is written
to the history, as it was logged, so the history then reads as if kept from the start.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activities import signals
from activities.metric_cache import metric_by_slug
from activities.models import (
    Activity,
    CallOutcome,
    Contact,
    Metric,
    MetricKind,
    Source,
)
from activities.services.rules import (
    UNSET,
    audit,
    check_actor,
    check_edit_window,
    contact_errors,
    editable_from,
    is_correction,
    quantity_errors,
    raise_errors,
    when_errors,
)
from activities.tallies import activity_insert_counted, tally_add
from core.events import publish


def metric_for_logging(metric: Metric | str) -> Metric:
    """The metric an activity is logged against, by instance or slug."""
    if isinstance(metric, Metric):
        found = metric
    else:
        found = metric_by_slug(metric)
        if found is None:
            raise ValidationError(
                {"metric": [_('There is no metric "%(slug)s".') % {"slug": metric}]}
            )
    if not found.is_active:
        raise ValidationError(
            {
                "metric": [
                    _("%(metric)s is retired and can no longer be logged.")
                    % {"metric": found.label}
                ]
            }
        )
    if found.kind != MetricKind.ACTIVITY:
        raise ValidationError(
            {
                "metric": [
                    _("%(metric)s is a result; log a deal instead.")
                    % {"metric": found.label}
                ]
            }
        )
    return found


def outcome_errors(*, metric: Metric, outcome: str) -> list[str]:
    if not outcome:
        return []
    if outcome not in CallOutcome.values:
        return [_("Choose connected, voicemail or no answer.")]
    if metric.slug != "calls":
        return [_("Only calls have an outcome.")]
    return []


def activity_log(
    *,
    rep: User,
    metric: Metric | str,
    quantity: int = 1,
    occurred_at: dt.datetime | None = None,
    contact: Contact | None = None,
    outcome: str = "",
    note: str = "",
    source: str = Source.WEB,
    by: User | None = None,
    now: dt.datetime | None = None,
) -> Activity:
    """Log an activity for a rep and add it to the rep's day tally.

    `occurred_at` defaults to now; its date in the rep's zone is stored as `local_date`.
    `by` is who is logging (the rep, or their manager correcting); None means the system.

    Everything is checked first; the row and the tally are then written together by
    `activity_insert_counted` (one statement on PostgreSQL, so no transaction of its
    own and no savepoint inside a caller's). Receivers of `activity_logged` and the
    `activity.logged` event run after the commit (at once when there was no
    transaction to wait for).
    """
    now = now or timezone.now()
    occurred_at = occurred_at or now
    check_actor(by=by, rep=rep)
    metric = metric_for_logging(metric)
    correction = is_correction(by=by, rep=rep)
    raise_errors(
        {
            "quantity": quantity_errors(quantity),
            "occurred_at": when_errors(
                rep=rep, at=occurred_at, now=now, correction=correction
            ),
            "contact": contact_errors(contact=contact, rep=rep),
            "outcome": outcome_errors(metric=metric, outcome=outcome),
        }
    )
    activity = Activity(
        rep=rep,
        metric=metric,
        quantity=quantity,
        occurred_at=occurred_at,
        local_date=rep.local_date(occurred_at),
        contact=contact,
        outcome=outcome,
        note=note,
        source=source,
        created_by=by,
    )
    activity_insert_counted(activity)
    signals.activity_logged.send(sender=Activity, activity=activity)
    publish("activity.logged", activity_id=activity.pk)
    return activity


def keep_first_version(activity: Activity) -> None:
    """Write the activity's first version to its history if it has none yet.

    Called inside the edit or delete, before it changes anything: the version is the
    row as logged, dated `created_at` and attributed to `created_by`.
    """
    if not Activity.history.filter(id=activity.pk).exists():
        Activity.history.bulk_history_create(
            [activity],
            default_user=activity.created_by,
            default_date=activity.created_at,
        )


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    by: User | None = None,
    now: dt.datetime | None = None,
    metric=UNSET,
    quantity=UNSET,
    occurred_at=UNSET,
    contact=UNSET,
    outcome=UNSET,
    note=UNSET,
) -> Activity:
    """Change an entry (only the fields given) and move its count between day tallies."""
    now = now or timezone.now()
    activity = (
        Activity.objects.select_for_update()
        .select_related("rep", "metric")
        .get(pk=activity.pk)
    )
    rep = activity.rep
    check_actor(by=by, rep=rep)
    start = editable_from(by=by, rep=rep, now=now)
    check_edit_window(local_date=activity.local_date, start=start)
    before = (activity.metric_id, activity.local_date, activity.quantity)

    new_metric = activity.metric if metric is UNSET else metric_for_logging(metric)
    new_quantity = activity.quantity if quantity is UNSET else quantity
    new_occurred_at = activity.occurred_at if occurred_at is UNSET else occurred_at
    new_contact = activity.contact if contact is UNSET else contact
    new_outcome = activity.outcome if outcome is UNSET else outcome
    errors = {
        "quantity": quantity_errors(new_quantity),
        "contact": contact_errors(contact=new_contact, rep=rep),
        "outcome": outcome_errors(metric=new_metric, outcome=new_outcome),
    }
    if occurred_at is not UNSET:
        errors["occurred_at"] = when_errors(
            rep=rep,
            at=new_occurred_at,
            now=now,
            correction=is_correction(by=by, rep=rep),
        )
    raise_errors(errors)
    new_local_date = (
        activity.local_date if occurred_at is UNSET else rep.local_date(new_occurred_at)
    )
    check_edit_window(local_date=new_local_date, start=start)

    keep_first_version(activity)
    activity.metric = new_metric
    activity.quantity = new_quantity
    activity.occurred_at = new_occurred_at
    activity.local_date = new_local_date
    activity.contact = new_contact
    activity.outcome = new_outcome
    if note is not UNSET:
        activity.note = note
    audit(activity, by)
    activity.save()
    tally_add(
        rep_id=rep.pk, metric_id=before[0], local_date=before[1], quantity=-before[2]
    )
    tally_add(
        rep_id=rep.pk,
        metric_id=activity.metric_id,
        local_date=activity.local_date,
        quantity=activity.quantity,
    )
    return activity


@transaction.atomic
def activity_delete(
    *, activity: Activity, by: User | None = None, now: dt.datetime | None = None
) -> None:
    """Delete an entry (undo) and take it off its day tally."""
    now = now or timezone.now()
    activity = (
        Activity.objects.select_for_update().select_related("rep").get(pk=activity.pk)
    )
    check_actor(by=by, rep=activity.rep)
    check_edit_window(
        local_date=activity.local_date,
        start=editable_from(by=by, rep=activity.rep, now=now),
    )
    tally_add(
        rep_id=activity.rep_id,
        metric_id=activity.metric_id,
        local_date=activity.local_date,
        quantity=-activity.quantity,
    )
    keep_first_version(activity)
    audit(activity, by)
    activity.delete()
