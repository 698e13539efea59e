"""The target template every installation starts with."""

from decimal import Decimal

from django.utils.translation import gettext_noop

STANDARD_TEMPLATE = gettext_noop("Standard rep")
# metric slug, period, amount
STANDARD_ITEMS = [
    ("calls", "day", Decimal(25)),
    ("appointments", "week", Decimal(5)),
    ("thank_you_notes", "day", Decimal(10)),
    ("revenue", "month", Decimal(20000)),
]

# The ramp the demo gives "Standard rep": half the targets for a new rep's first four
# weeks, three quarters for the next four, in full from week 9. (Not on a fresh
# installation's template: an admin chooses to ramp.)
STANDARD_RAMP = [{"weeks": 4, "percent": 50}, {"weeks": 4, "percent": 75}]


def templates_ensure(*, template_model=None, item_model=None, metric_model=None):
    """Create the "Standard rep" template if it is missing; returns it."""
    if template_model is None:
        from activities.models import Metric as metric_model
        from targets.models import TargetTemplate as template_model
        from targets.models import TargetTemplateItem as item_model
    template, created = template_model.objects.get_or_create(
        name=STANDARD_TEMPLATE,
        defaults={
            "is_default": True,
            "description": "25 calls a day, 5 appointments a week, 10 thank-you notes "
            "a day and a monthly revenue quota.",
        },
    )
    if created:
        for slug, period, amount in STANDARD_ITEMS:
            item_model.objects.create(
                template=template,
                metric=metric_model.objects.get(slug=slug),
                period=period,
                amount=amount,
            )
    return template
