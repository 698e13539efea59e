"""Reactions to events from lower layers; connected in `TargetsConfig.ready`."""

from django.conf import settings
from django.utils import timezone

from core.queueing import enqueue_batched_on_commit
from targets.models import TargetTemplate
from targets.selectors import default_template
from targets.services import targets_apply_template_to_new_reps
from targets.tasks import dip_flags_refresh_task


def apply_standard_targets_to_new_reps(
    sender, *, users=(), by=None, templates=None, **kwargs
) -> None:
    """`accounts.signals.reps_onboarded`: each new rep gets their template's targets.

    `templates` maps a rep's id to the template name chosen at onboarding; reps without
    one get the default template.
    """
    chosen = templates or {}
    by_name = {
        template.name: template
        for template in TargetTemplate.objects.filter(name__in=set(chosen.values()))
    }
    default = default_template()
    groups: dict[int, tuple[TargetTemplate, list]] = {}
    for user in users:
        template = by_name.get(chosen.get(user.pk, "")) or default
        if template is not None:
            groups.setdefault(template.pk, (template, []))[1].append(user)
    for template, reps in groups.values():
        targets_apply_template_to_new_reps(reps=reps, template=template, by=by)


def template_names() -> list[str]:
    """For onboarding forms (`accounts.onboarding`): the default template first."""
    return list(
        TargetTemplate.objects.order_by("-is_default", "name").values_list(
            "name", flat=True
        )
    )


def refresh_dips_after_activity(sender, *, activity, **kwargs) -> None:
    """Queue (after commit) a check that may resolve the rep's activity-dip flags.

    Batched per rep: the first log of a window (`DIP_CHECK_BATCH_SECONDS`, a minute)
    queues one check that runs when the window closes and so sees every log of it; the
    logs in between queue nothing. Queued, not run inline: logging stays fast, and a
    broker outage is logged by `enqueue`, never shown to the rep; their next log queues
    the check again, and the hourly `dip_flags_sweep` is the retry. The check is for
    the day the window opened on (`at`), as if it had run at once.
    """
    enqueue_batched_on_commit(
        dip_flags_refresh_task,
        activity.rep_id,
        key=("dip_flags_refresh", activity.rep_id),
        window=settings.DIP_CHECK_BATCH_SECONDS,
        at=timezone.now().isoformat(),
    )
