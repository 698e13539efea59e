"""Celery configuration, derived from Django settings (which read the environment)."""

from pathlib import Path

from django.conf import settings

broker_url = settings.CELERY_BROKER
broker_transport_options = settings.CELERY_BROKER_OPTIONS
if broker_url.startswith("filesystem://"):
    # The filesystem transport writes into folders it does not create: without them the
    # first task queued by `seed_demo` or a page (before any worker ran) would be lost.
    for option in ("data_folder_in", "data_folder_out", "processed_folder"):
        Path(broker_transport_options[option]).mkdir(parents=True, exist_ok=True)
broker_connection_retry_on_startup = True
broker_connection_timeout = 2

result_backend = None
task_ignore_result = True
task_serializer = "json"
result_serializer = "json"
accept_content = ["json"]
event_serializer = "json"

# Acknowledge after the work is done and requeue when a worker dies mid-task: every task is
# idempotent, so running one twice is safe, losing one is not.
task_acks_late = True
task_reject_on_worker_lost = True
worker_prefetch_multiplier = 1
task_time_limit = settings.CELERY_TASK_TIME_LIMIT
task_soft_time_limit = settings.CELERY_TASK_SOFT_TIME_LIMIT

task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
task_eager_propagates = True

# Publishing happens after a web request's commit; it must give up quickly on a dead broker
# (the caller logs the failure and the periodic sweep retries the work).
task_publish_retry = True
task_publish_retry_policy = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

beat_scheduler = "django_celery_beat.schedulers:DatabaseScheduler"
timezone = "UTC"
enable_utc = True
worker_hijack_root_logger = False
