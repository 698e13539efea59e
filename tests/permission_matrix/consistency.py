"""Personal goals (issue 16, part 6): the rep's own to set, share and remove; a manager
reads the ones their rep shares. The goal here is team A's rep's, shared."""

from targets.models import PersonalGoal
from tests import factories
from tests.permission_matrix import API_ANON, LOGIN, Row, everyone, team_a_object


def shared_goal_pk(world) -> dict:
    goal = PersonalGoal.objects.create(
        rep=world["rep"],
        metric=factories.metric("calls"),
        period="day",
        amount=30,
        shared=True,
    )
    return {"pk": goal.pk}


def only_the_rep(status: int, *, anonymous=LOGIN) -> dict:
    """Changing a goal is for its rep alone: everyone else, their manager too, 404."""
    return dict.fromkeys(team_a_object(), 404) | {
        "anonymous": anonymous,
        "rep": status,
    }


ROWS = [
    # An empty form comes back with its errors, on the viewer's own results page.
    Row("targets:goal_save", everyone(400), method="post"),
    Row(
        "targets:goal_share",
        only_the_rep(302),
        kwargs=shared_goal_pk,
        method="post",
        data=lambda world: {"shared": "0"},
    ),
    Row("targets:goal_delete", only_the_rep(302), kwargs=shared_goal_pk, method="post"),
    Row("api-personal-goal-list", everyone(200, anonymous=API_ANON)),
    Row("api-personal-goal-list", everyone(400, anonymous=API_ANON), method="post"),
    Row(
        "api-personal-goal-detail",
        team_a_object(200, anonymous=API_ANON),
        kwargs=shared_goal_pk,
    ),
    Row(
        "api-personal-goal-detail",
        only_the_rep(200, anonymous=API_ANON),
        kwargs=shared_goal_pk,
        method="patch",
        data=lambda world: {"shared": False},
    ),
    Row(
        "api-personal-goal-detail",
        only_the_rep(204, anonymous=API_ANON),
        kwargs=shared_goal_pk,
        method="delete",
    ),
]
