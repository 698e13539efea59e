"""The garbage collector and long-running jobs.

A worker's heap is mostly what start-up loaded: modules, the URLconf, the message
catalogues, Django's app registry, well over a hundred thousand objects that live as
long as the process. Python's full collections walk all of them every time, and a review
chunk that builds thousands of rows triggers several: about 0.2 s a 500-rep chunk at
10,000 reps (docs/performance.md, "Fourth sitting"). Frozen, they are left out of every
later collection (and a forked child's collections no longer touch the parent's pages).

Within one chunk, the rows it builds are short-lived and freed as it ends, yet their
numbers start a collection every few hundred allocations; with automatic collection
paused for the chunk and one young-generation collection at its end (which frees any
cycles it made), a 500-rep chunk runs about 4 % faster.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import get_resolver


def freeze_loaded_objects() -> None:
    """Load the URLconf (notifications link to pages), collect once, then freeze
    everything alive so that later collections skip it. Safe to call again."""
    get_resolver().reverse_dict  # noqa: B018 (loads the URLconf)
    gc.collect()
    gc.freeze()


@contextmanager
def collection_paused() -> Iterator[None]:
    """Run a bounded batch (a review chunk) without automatic garbage collection, then
    collect what it left in the youngest generation. Nested uses pause once."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        gc.enable()
