"""The project's periodic tasks, declared in code and written to celery-beat on migrate.

Editing a schedule here and running `migrate` updates the database scheduler; a task
removed from this list is disabled, not deleted, so its run history stays visible.
"""

from dataclasses import dataclass

MANAGED_PREFIX = "salesteam: "


@dataclass(frozen=True)
class PeriodicTaskSpec:
    name: str
    task: str
    every_seconds: int | None = None
    crontab: str | None = None  # "minute hour day_of_month month_of_year day_of_week"


PERIODIC_TASKS: list[PeriodicTaskSpec] = [
    PeriodicTaskSpec(
        name="results review", task="coaching.review_dispatch", crontab="5 * * * *"
    ),
    PeriodicTaskSpec(
        name="weekly digests", task="coaching.weekly_digests", crontab="15 * * * *"
    ),
    PeriodicTaskSpec(
        name="improvement plans: book missing one-on-ones",
        task="coaching.book_missing_plan_one_on_ones",
        crontab="35 * * * *",
    ),
    PeriodicTaskSpec(
        name="worker heartbeat", task="salesteam.worker_heartbeat", every_seconds=60
    ),
    PeriodicTaskSpec(
        name="API: sweep expired Idempotency-Keys",
        task="salesteam.sweep_idempotency_keys",
        crontab="45 * * * *",
    ),
    PeriodicTaskSpec(
        name="targets: resolve activity dips whose check was lost",
        task="targets.dip_flags_sweep",
        crontab="50 * * * *",
    ),
    PeriodicTaskSpec(
        name="meetings: generate occurrences",
        task="meetings.generate_occurrences",
        crontab="7 * * * *",
    ),
    PeriodicTaskSpec(
        name="meetings: send reminders",
        task="meetings.send_reminders",
        every_seconds=60,
    ),
    PeriodicTaskSpec(
        name="meetings: book missing goal-setting meetings",
        task="meetings.book_goal_settings",
        crontab="17 * * * *",
    ),
    PeriodicTaskSpec(
        name="integrations: sync CalDAV calendars",
        task="integrations.calendars_sync_due",
        every_seconds=300,
    ),
    PeriodicTaskSpec(
        name="meetings: review autonomy",
        task="meetings.review_autonomy",
        crontab="30 3 * * *",
    ),
    PeriodicTaskSpec(
        name="webhooks: retries due, lost fan-outs, old log",
        task="integrations.webhooks_sweep",
        every_seconds=30,
    ),
]


def periodic_tasks_sync(specs: list[PeriodicTaskSpec] | None = None) -> None:
    """Make celery-beat's tables match `specs` (by default, PERIODIC_TASKS)."""
    from django_celery_beat.models import (
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
    )

    specs = PERIODIC_TASKS if specs is None else specs
    declared_names = []
    for spec in specs:
        name = MANAGED_PREFIX + spec.name
        declared_names.append(name)
        schedule: dict = {"interval": None, "crontab": None}
        if spec.every_seconds:
            schedule["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=spec.every_seconds, period=IntervalSchedule.SECONDS
            )
        else:
            minute, hour, day_of_month, month_of_year, day_of_week = (
                spec.crontab.split()
            )
            schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_month=day_of_month,
                month_of_year=month_of_year,
                day_of_week=day_of_week,
                timezone="UTC",
            )
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": spec.task, "enabled": True, **schedule}
        )
    PeriodicTask.objects.filter(name__startswith=MANAGED_PREFIX).exclude(
        name__in=declared_names
    ).update(enabled=False)
