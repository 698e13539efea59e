"""Real services for tests: a Celery worker process on Redis against the test database."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def test_database_url() -> str:
    """A DATABASE_URL that points a child process at the test database."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}{port}/{db['NAME']}"


@contextmanager
def celery_worker(
    redis_url: str,
    *,
    queue: str | None = None,
    default_queue_too: bool = False,
    extra_env: dict | None = None,
):
    """Start `celery worker` in a child process on its own queue; yield (process, queue).

    The queue name is unique, so a developer's running worker cannot steal the test's tasks;
    `default_queue_too` also consumes the default queue, for work queued by the app itself.
    """
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    if default_queue_too:
        # Messages left in the shared default queue by earlier runs are not this test's.
        import redis

        redis.Redis.from_url(redis_url).delete("celery")
    env = (
        os.environ
        | {
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DJANGO_SETTINGS_MODULE": "salesteam.settings",
            # Emails stay in memory: printed to the console they would flood the log.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        | (extra_env or {})
    )
    env.pop("CELERY_BROKER_URL", None)
    # A file, not a pipe: a pipe nobody reads fills up and blocks the worker.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "salesteam",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                f"{queue},celery" if default_queue_too else queue,
                "--loglevel=INFO",
                f"--hostname={queue}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        try:
            yield process, queue
        finally:
            stop(process)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> str:
    """Stop the worker (if still running) and return what it printed."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    log = getattr(process, "log", None)
    if log is None or log.closed:
        return ""
    log.seek(0)
    return log.read().decode(errors="replace")[-20000:]


def wait_for(condition, *, timeout: float = 30.0, interval: float = 0.2):
    """Poll `condition` until it returns something truthy; return it or raise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {condition}")
