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


def test_a_paused_batch_runs_without_automatic_collection_and_frees_its_cycles():
    import weakref

    from core.memory import collection_paused

    class Node:
        pass

    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # nested: still paused, and not resumed early
            assert not gc.isenabled()
        assert not gc.isenabled()
        cycle = Node()
        cycle.itself = cycle  # freed only by the collector
        alive = weakref.ref(cycle)
        del cycle
        assert alive() is not None
    assert gc.isenabled()
    assert alive() is None  # the collection at the end freed it


def test_an_error_in_a_paused_batch_resumes_collection():
    from core.memory import collection_paused

    with pytest.raises(ValueError), collection_paused():
        raise ValueError
    assert gc.isenabled()
