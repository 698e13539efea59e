"""Ramps: a manager changes or ends a rep's ramp (forms on the rep's results page).

Team A's rep has no ramp in the world: their manager and the admin are sent back to the
results page with the reason it cannot end; the rep themself is told no."""

from tests.permission_matrix import Row, team_a_object


def rep_pk(world) -> dict:
    return {"pk": world["rep"].pk}


ROWS = [
    Row(
        "targets:ramp_change",
        team_a_object(302, rep=403),
        kwargs=rep_pk,
        method="post",
        data=lambda world: {"steps": "4x50, 6x75", "reason": "A longer run-in"},
    ),
    Row(
        "targets:ramp_end",
        team_a_object(302, rep=403),
        kwargs=rep_pk,
        method="post",
        data=lambda world: {"reason": "Ready for the full targets"},
    ),
]
