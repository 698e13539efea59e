"""Celery tasks for people; each a thin, idempotent wrapper around a service."""

from celery import shared_task

from accounts.models import ImportJob
from accounts.people_import import import_job_run
from accounts.services import invitations_send


@shared_task(
    name="accounts.invitations_send",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def invitations_send_task(invitation_ids: list[int]) -> int:
    return invitations_send(invitation_ids=invitation_ids)


@shared_task(name="accounts.import_job_run")
def import_job_run_task(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        import_job_run(job=job)


@shared_task(
    name="accounts.notification_emails",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notification_emails_task(notification_ids: list[int]) -> int:
    from accounts.notifications import notification_emails_send

    return notification_emails_send(notification_ids=notification_ids)
