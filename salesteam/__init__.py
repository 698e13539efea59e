"""The Salesteam project package: settings, root URLs, the Celery app, the API router."""

from salesteam.celery import app as celery_app

__all__ = ["celery_app"]
