"""GET /healthz: is the database answering, is the broker reachable, is a worker alive.

Anyone (a load balancer, an uptime probe) learns up or down; only staff see the parts,
whose state and timestamps would tell an outsider what to aim at.
"""

import datetime as dt

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from knox.auth import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from salesteam.celery import app as celery_app
from salesteam.models import WorkerHeartbeat

# The heartbeat task runs every minute; three missed beats means no live worker.
WORKER_STALE_AFTER = dt.timedelta(minutes=3)


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "down"
    return "up"


def broker_state() -> str:
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "down"
    return "up"


def worker_state(now: dt.datetime) -> dict:
    try:
        last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    except Exception:
        return {"state": "unknown", "last_seen": None}
    if last is None:
        return {"state": "unknown", "last_seen": None}
    alive = now - last.seen_at <= WORKER_STALE_AFTER
    return {"state": "up" if alive else "down", "last_seen": last.seen_at.isoformat()}


def caller_of(request):
    """The session's user, or the one an API token names (monitors use tokens)."""
    if request.user.is_authenticated:
        return request.user
    try:
        authenticated = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return authenticated[0] if authenticated else None


def sees_details(user) -> bool:
    """Django staff and the app's admins: the people who run the deployment."""
    return user is not None and (user.is_staff or user.is_admin)


@never_cache
@require_GET
def healthz(request):
    """200 while the database answers, whatever the broker does (it is reported, not fatal)."""
    database = database_state()
    status = 200 if database == "up" else 503
    if not sees_details(caller_of(request)):
        return JsonResponse(
            {"status": "ok" if database == "up" else "error"}, status=status
        )
    body = {
        "status": "ok" if database == "up" else "error",
        "database": database,
        "broker": broker_state(),
        "worker": worker_state(timezone.now()) if database == "up" else None,
        "time": timezone.now().isoformat(),
    }
    return JsonResponse(body, status=status)
