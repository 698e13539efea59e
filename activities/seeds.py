"""The metrics every installation starts with (used by the data migration and tests)."""

from django.utils.translation import gettext_noop

# slug, name (a message id: Metric.label translates it), kind, unit, sort order
DEFAULT_METRICS = [
    ("calls", gettext_noop("Calls"), "activity", "count", 10),
    ("appointments", gettext_noop("Appointments"), "activity", "count", 20),
    ("thank_you_notes", gettext_noop("Thank-you notes"), "activity", "count", 30),
    ("emails", gettext_noop("Emails"), "activity", "count", 40),
    ("deals", gettext_noop("Deals"), "result", "count", 50),
    ("revenue", gettext_noop("Revenue"), "result", "money", 60),
]
DEAL_METRICS = ("deals", "revenue")


def metrics_ensure(metric_model=None) -> None:
    """Create the default metrics that are missing; leave existing ones as they are."""
    if metric_model is None:
        from activities.models import Metric as metric_model
    for slug, name, kind, unit, sort_order in DEFAULT_METRICS:
        metric_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "unit": unit,
                "sort_order": sort_order,
            },
        )
