"""The Celery application.

Celery prefers a `CELERY_BROKER_URL` environment variable over any setting, so the project
never uses that name: the broker comes from `REDIS_URL` (see settings and
`salesteam/celery_config.py`).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesteam.settings")

app = Celery("salesteam")
# A module path, so the configuration is read lazily, once Django's settings are loadable.
app.config_from_object("salesteam.celery_config")
app.autodiscover_tasks()
