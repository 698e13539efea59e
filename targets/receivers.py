"""Reactions to events from lower layers; connected in `TargetsConfig.ready`."""

from salesteam.queueing import enqueue_on_commit
from targets.selectors import default_template
from targets.services import targets_apply_template_to_new_reps
from targets.tasks import dip_flags_refresh_task


def apply_standard_targets_to_new_reps(sender, *, users=(), by=None, **kwargs) -> None:
    """`accounts.signals.reps_onboarded`: each new rep gets the default template.

    A `template` keyword (a TargetTemplate), if onboarding sends one, wins over the
    default.
    """
    template = kwargs.get("template") or default_template()
    if template is not None:
        targets_apply_template_to_new_reps(reps=list(users), template=template, by=by)


def refresh_dips_after_activity(sender, *, activity, **kwargs) -> None:
    """Queue (after commit) a check that may resolve the rep's activity-dip flags.

    Queued, not run inline: logging stays fast, and a broker outage is logged by
    `enqueue`, never shown to the rep; their next log queues the check again.
    """
    enqueue_on_commit(dip_flags_refresh_task, activity.rep_id)
