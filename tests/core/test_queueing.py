"""core/queueing.py: a request never waits on a broker that is down, twice."""

from kombu.exceptions import OperationalError

from core import queueing


class Task:
    """A stand-in for a Celery task that counts its sends."""

    name = "tests.fake"

    def __init__(self, *, fails_with: Exception | None = None):
        self.fails_with = fails_with
        self.sends = 0

    def apply_async(self, args, kwargs):
        self.sends += 1
        if self.fails_with:
            raise self.fails_with


def test_after_the_broker_fails_the_next_sends_wait_for_the_pause(monkeypatch):
    # Given a broker that cannot be reached, and a clock
    now = [1000.0]
    monkeypatch.setattr(queueing.time, "monotonic", lambda: now[0])
    task = Task(fails_with=OperationalError("connection refused"))

    # When three requests queue work within the pause, and one after it
    sent = [queueing.enqueue(task) for _ in range(3)]
    now[0] += queueing.BROKER_DOWN_PAUSE + 1
    queueing.enqueue(task)

    # Then only the first and the last tried the broker, and none pretended to succeed
    assert sent == [False, False, False]
    assert task.sends == 2


def test_a_failing_task_is_not_taken_for_a_broker_that_is_down(monkeypatch):
    # Given a task that raises while running (eagerly, as in a test or a laptop)
    broken = Task(fails_with=ValueError("a bug"))
    healthy = Task()

    # When it is queued, and then another
    assert queueing.enqueue(broken) is False
    assert queueing.enqueue(healthy) is True

    # Then the broker was not presumed down
    assert healthy.sends == 1
