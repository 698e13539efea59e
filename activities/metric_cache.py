"""The metrics by slug, cached per process: every activity write looks its metric up.

Metrics change rarely (an admin adds, renames or retires one), activities are logged all
day, so each process keeps the whole (small) table in memory. A change saved in this
process clears the copy at once (`post_save` / `post_delete`, connected in
`ActivitiesConfig.ready`); another process sees it within `METRIC_CACHE_SECONDS` (60 by
default), when its copy expires. While a transaction that changed a metric is still open
the copy is not used, so a change that is rolled back is never served.
"""

import time

from django.conf import settings
from django.db import transaction

from activities.models import Metric

_metrics: dict[str, Metric] | None = None
_loaded_at = 0.0
_changing = False  # a metric changed in a transaction that has not ended yet


def metric_by_slug(slug: str) -> Metric | None:
    """The metric with this slug (None if there is none), from the process's copy."""
    metrics = _copy()
    if metrics is None:
        return Metric.objects.filter(slug=slug).first()
    return metrics.get(slug)


def metrics_in_order() -> list[Metric]:
    """Every metric, retired ones included, in `Metric.Meta.ordering` (sort order, slug)."""
    metrics = _copy()
    if metrics is None:
        return list(Metric.objects.order_by("sort_order", "slug"))
    return sorted(metrics.values(), key=lambda metric: (metric.sort_order, metric.slug))


def _copy() -> dict[str, Metric] | None:
    """The process's copy by slug (loaded when missing or stale); None while a metric's
    change is not yet committed, when the caller reads the table itself."""
    global _metrics, _loaded_at, _changing
    if _changing:
        if transaction.get_connection().in_atomic_block:
            return None
        _changing = False  # the transaction ended (committed or rolled back)
        _metrics = None
    now = time.monotonic()
    if _metrics is None or now - _loaded_at > settings.METRIC_CACHE_SECONDS:
        _metrics = {metric.slug: metric for metric in Metric.objects.all()}
        _loaded_at = now
    return _metrics


def metrics_changed(**kwargs) -> None:
    """Forget the copy (a receiver of Metric's post_save and post_delete)."""
    global _metrics, _changing
    _metrics = None
    if transaction.get_connection().in_atomic_block:
        _changing = True
        transaction.on_commit(_committed)


def _committed() -> None:
    global _metrics, _changing
    _metrics = None
    _changing = False


def metric_cache_clear() -> None:
    """Forget everything (tests call it between tests)."""
    global _metrics, _changing
    _metrics = None
    _changing = False
