"""The results review: closed periods in each rep's own calendar → flags, results, praise.

It only judges and records its verdicts; the writes people make about its output
(giving kudos, resolving flags) are in `targets.services`. One module per judgement:

- `months`: the closed month, below quota (a flag) or a streak on quota (praise);
- `dips`: activity below its daily target on the last K work days;
- `pace`: the running month's forecast, from its first full week (quota at risk);
- `flags`: building flags, idempotent inserts, resolving stale ones (announced);
- `announce`: notifying managers and reps;
- `chunk`: one run over a chunk of reps, reading everything in a few queries.
"""

from targets.review.chunk import ReviewOutcome, reps_to_review, review_chunk

__all__ = ["ReviewOutcome", "reps_to_review", "review_chunk"]
