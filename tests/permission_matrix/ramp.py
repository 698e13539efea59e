"""Ramps: a manager changes or ends a rep's ramp (forms on the rep's results page, and
the `ramp-changes` API, which also lists why each ramp is as it is).

On the pages team A's rep has no ramp: their manager and the admin are sent back to the
results page with the reason it cannot change; the rep themself is told no. Through the
API team A's rep is on a ramp, so their manager and the admin end it (201); the rep is
told no (403) and anyone outside team A hears of no such rep (400)."""

import datetime as dt

from targets.models import RampChange, RepRamp
from tests.permission_matrix import API_ANON, Row, everyone, team_a_object


def rep_pk(world) -> dict:
    return {"pk": world["rep"].pk}


def ramp_change_pk(world) -> dict:
    change = RampChange.objects.create(
        rep=world["rep"],
        kind="started",
        reason="From the template",
        changed_at=dt.datetime.now(dt.UTC),
    )
    return {"pk": change.pk}


def end_the_ramp(world) -> dict:
    rep = world["rep"]
    # Each viewer posts in turn: the ramp runs again for the next one
    RepRamp.objects.update_or_create(
        rep=rep,
        defaults={
            "starts_on": rep.local_date() - dt.timedelta(days=3),
            "steps": [{"weeks": 4, "percent": 50}],
            "ended_on": None,
        },
    )
    return {"user": rep.pk, "kind": "ended", "reason": "Ready for the full targets"}


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
    Row("api-ramp-change-list", everyone(200, anonymous=API_ANON)),
    Row(
        "api-ramp-change-list",
        {
            "anonymous": API_ANON,
            "rep": 403,
            "rep_other": 400,
            "manager": 201,
            "manager_other": 400,
            "manager_above": 400,
            "admin": 201,
        },
        method="post",
        data=end_the_ramp,
    ),
    Row(
        "api-ramp-change-detail",
        team_a_object(anonymous=API_ANON),
        kwargs=ramp_change_pk,
    ),
]
