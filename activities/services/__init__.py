"""Every write about what reps did: activities, deals, contacts and metrics.

The Today page, the API and any importer call these functions; each one validates, writes
the row and keeps the day tally in step inside one transaction, and is audited by
django-simple-history (`by` becomes the history user). One module per kind of entry;
the rules they share live in `rules`.
"""

from activities.services.activities import (
    activity_delete,
    activity_log,
    activity_update,
    metric_for_logging,
)
from activities.services.contacts import contact_create, contact_delete, contact_update
from activities.services.deals import deal_delete, deal_log, deal_update
from activities.services.metrics import metric_create, metric_update
from activities.services.rules import UNSET

__all__ = [
    "UNSET",
    "activity_delete",
    "activity_log",
    "activity_update",
    "contact_create",
    "contact_delete",
    "contact_update",
    "deal_delete",
    "deal_log",
    "deal_update",
    "metric_create",
    "metric_for_logging",
    "metric_update",
]
