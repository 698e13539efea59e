"""Reactions to events from lower layers; connected in `TargetsConfig.ready`."""

from targets.selectors import default_template
from targets.services import targets_apply_template_to_new_reps


def apply_standard_targets_to_new_reps(sender, *, users=(), by=None, **kwargs) -> None:
    """`accounts.signals.reps_onboarded`: each new rep gets the default template.

    A `template` keyword (a TargetTemplate), if onboarding sends one, wins over the
    default.
    """
    template = kwargs.get("template") or default_template()
    if template is not None:
        targets_apply_template_to_new_reps(reps=list(users), template=template, by=by)
