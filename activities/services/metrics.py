"""Admins add and change activity metrics."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from activities.models import (
    Metric,
    MetricKind,
)


def _check_admin(by: User | None) -> None:
    if by is not None and not by.is_admin:
        raise PermissionDenied(_("Only admins may change metrics."))


@transaction.atomic
def metric_create(
    *, slug: str, name: str, sort_order: int = 100, by: User | None = None
) -> Metric:
    """Add a custom activity metric (e.g. "demos"); it is counted, like calls."""
    _check_admin(by)
    metric = Metric(
        slug=slug, name=name, kind=MetricKind.ACTIVITY, sort_order=sort_order
    )
    metric.full_clean()
    metric.save()
    return metric


@transaction.atomic
def metric_update(*, metric: Metric, by: User | None = None, **fields) -> Metric:
    """Rename, reorder, retire (`is_active=False`) or revive a metric; history stays."""
    _check_admin(by)
    unknown = set(fields) - {"name", "sort_order", "is_active"}
    if unknown:
        raise TypeError(f"Unknown metric fields: {sorted(unknown)}")
    for field, value in fields.items():
        setattr(metric, field, value)
    metric.full_clean()
    metric.save()
    return metric
