"""Diagnosis: why a rep is where they are, and the activity that closes the gap.

The rep's funnel over a window in their own calendar (calls a work day, call →
connected, connected → appointment, appointment → won deal, average deal size, and the
activity mix) against the team's median and top quartile and against the rep's own
previous window; the constraint (the stage whose team rate gains the most revenue);
and the back-solve from the next period's quota. A fixed number of queries for any
number of reps (`diagnoses_for`).
"""

from coaching.diagnosis.arithmetic import STAGES, FunnelCounts, back_solve
from coaching.diagnosis.funnel import (
    diagnose,
    diagnose_team,
    diagnoses_for,
    window_for,
)
from coaching.diagnosis.results import (
    ActivityMix,
    Constraint,
    ConstraintKind,
    Diagnosis,
    Required,
    StageResult,
)
from coaching.diagnosis.sentences import money_text, percent_text, rate_text
from coaching.diagnosis.windows import Window, days_window, month_window

__all__ = [
    "STAGES",
    "ActivityMix",
    "Constraint",
    "ConstraintKind",
    "Diagnosis",
    "FunnelCounts",
    "Required",
    "StageResult",
    "Window",
    "back_solve",
    "days_window",
    "diagnose",
    "diagnose_team",
    "diagnoses_for",
    "money_text",
    "month_window",
    "percent_text",
    "rate_text",
    "window_for",
]
