"""core.memory: what start-up loaded is left out of later garbage collections."""

import gc

import pytest
from celery.signals import worker_process_init, worker_ready

from coaching.review import review_run
from core.memory import freeze_loaded_objects


@pytest.fixture
def thawed():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()


def test_freezing_moves_the_loaded_heap_out_of_the_collectors_view(thawed):
    freeze_loaded_objects()
    # Django, the apps, the URLconf and the catalogues: far more than a job makes.
    assert gc.get_freeze_count() > 50_000
    made_later = []
    assert any(o is made_later for o in gc.get_objects())  # still the collector's


@pytest.mark.django_db
def test_the_review_freezes_before_its_chunks(thawed):
    review_run()
    assert gc.get_freeze_count() > 50_000


@pytest.mark.parametrize("signal", [worker_process_init, worker_ready])
def test_celery_workers_freeze_once_started(thawed, signal):
    signal.send(sender=None)
    assert gc.get_freeze_count() > 50_000
