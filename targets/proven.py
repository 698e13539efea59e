"""Don't fix what works: raising the target of a proven rep needs a written reason.

A rep is proven after `PROVEN_MONTHS` closed months on quota in a row
(`targets.quota.is_proven`). A person who raises one of their targets says why; the
target keeps the reason (`Target.reason`) and the rep is told. The system's own changes
(templates, imports) are not judged.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from activities.models import Metric
from targets.amounts import amount_text
from targets.models import Target
from targets.quota import is_proven


def proven_raise(
    *,
    rep: User,
    metric: Metric,
    period: str,
    amount: Decimal,
    today: dt.date,
    now: dt.datetime | None = None,
) -> Target | None:
    """The target in force today that `amount` raises, when the rep is proven (else
    None). A new period is not compared: only a bigger amount of the same period."""
    current = (
        Target.objects.filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=today),
            rep=rep,
            metric=metric,
            period=period,
            effective_from__lte=today,
            superseded_at__isnull=True,
        )
        .order_by("-effective_from")
        .first()
    )
    if current is None or Decimal(str(amount)) <= current.amount:
        return None
    return current if is_proven(rep, now=now) else None


def proven_reason_message(rep: User) -> str:
    return _(
        "%(rep)s has met quota %(months)s months in a row: say why this changes. "
        "They will be told."
    ) % {"rep": rep, "months": settings.PROVEN_MONTHS}


def raise_told(*, target: Target, previous: Target) -> None:
    """Tell the rep their target went up, and why, in their own language."""
    rep = target.rep
    with translation.override(rep.language):
        notify(
            user=rep,
            key=f"target-raised:{target.pk}",
            kind="target.raised",
            title=_("Your %(metric)s target goes up from %(old)s to %(new)s")
            % {
                "metric": target.metric.label,
                "old": amount_text(previous.amount, target.metric.unit),
                "new": amount_text(target.amount, target.metric.unit),
            },
            body=_("Reason: %(reason)s") % {"reason": target.reason},
            url=reverse("targets:list"),
        )
