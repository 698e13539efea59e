"""The garbage collector and long-running jobs.

A worker's heap is mostly what start-up loaded: modules, the URLconf, the message
catalogues, Django's app registry, well over a hundred thousand objects that live as
long as the process. Python's full collections walk all of them every time, and a review
chunk that builds thousands of rows triggers several: about 0.2 s a 500-rep chunk at
10,000 reps (docs/performance.md, "Fourth sitting"). Frozen, they are left out of every
later collection (and a forked child's collections no longer touch the parent's pages).
"""

import gc

from django.urls import get_resolver


def freeze_loaded_objects() -> None:
    """Load the URLconf (notifications link to pages), collect once, then freeze
    everything alive so that later collections skip it. Safe to call again."""
    get_resolver().reverse_dict  # noqa: B018 (loads the URLconf)
    gc.collect()
    gc.freeze()
