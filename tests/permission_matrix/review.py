"""The results review: kudos feed, needs attention, flags and kudos API."""

from targets.models import Flag, Kudos
from tests import factories
from tests.permission_matrix import API_ANON, Row, everyone, staff_only, team_a_object


def flag_pk(world) -> dict:
    flag = Flag.objects.create(
        rep=world["rep"],
        kind="below_quota",
        metric=factories.metric("revenue"),
        period="month",
        period_start="2026-10-01",
        period_end="2026-10-31",
        target=10000,
        actual=6400,
        percent=64,
    )
    return {"pk": flag.pk}


def kudos_pk(world) -> dict:
    return {"pk": Kudos.objects.create(rep=world["rep"], message="Well done").pk}


def kudos_for_rep(world) -> dict:
    return {"user": world["rep"].pk, "message": "Great demo"}


ROWS = [
    Row("targets:kudos", everyone(200)),
    Row("targets:needs_attention", staff_only()),
    Row("api-flag-list", everyone(200, anonymous=API_ANON)),
    Row("api-flag-detail", team_a_object(anonymous=API_ANON), kwargs=flag_pk),
    Row("api-kudos-list", everyone(200, anonymous=API_ANON)),
    Row(
        "api-kudos-list",
        {
            "anonymous": API_ANON,
            "rep": 400,
            "rep_other": 400,
            "manager": 201,
            "manager_other": 400,
            "manager_above": 400,
            "admin": 201,
        },
        method="post",
        data=kudos_for_rep,
    ),
    # A rep of team B sees team A's kudos? No: the feed is their own team's.
    Row("api-kudos-detail", team_a_object(anonymous=API_ANON), kwargs=kudos_pk),
]
