"""The Celery application.

Celery prefers a `CELERY_BROKER_URL` environment variable over any setting, so the project
never uses that name: the broker comes from `REDIS_URL` (see settings and
`salesteam/celery_config.py`).
"""

import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesteam.settings")

app = Celery("salesteam")
# A module path, so the configuration is read lazily, once Django's settings are loadable.
app.config_from_object("salesteam.celery_config")
app.autodiscover_tasks()


@worker_process_init.connect  # each process of a prefork pool
@worker_ready.connect  # the worker itself (a solo pool runs the tasks there)
def _freeze_loaded_objects(**_kwargs) -> None:
    """What start-up loaded is left out of every later garbage collection (core.memory)."""
    from core.memory import freeze_loaded_objects

    freeze_loaded_objects()
