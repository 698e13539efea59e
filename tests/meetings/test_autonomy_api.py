"""Changing a rep's autonomy level through the API keeps the same rule as the check-ins
page: a written reason, a row on the rep's history, and a proven rep is told."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AutonomyLevel, Notification
from meetings.autonomy import autonomy_set
from meetings.models import AutonomyChange
from targets.models import MonthResult
from tests import factories
from tests.helpers import api_client_for
from tests.scenarios import QUOTA, rep_with_quota

pytestmark = pytest.mark.django_db

URL = "/api/v1/autonomy-changes/"


@pytest.fixture
def proven_rep(team):
    """A rep who met quota in each of the last three closed months."""
    rep = rep_with_quota(team, "Europe/Athens", autonomy_level=AutonomyLevel.AUTONOMOUS)
    month = rep.local_date().replace(day=1)
    for _ in range(3):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        MonthResult.objects.create(
            rep=rep,
            month_start=month,
            metric=factories.metric("revenue"),
            target=QUOTA,
            actual=QUOTA,
            met=True,
        )
    return rep


def post(by, **body):
    return api_client_for(by).post(URL, body, format="json")


# --- Changing a level ---------------------------------------------------------------


def test_a_change_without_a_reason_is_a_400_on_reason_and_changes_nothing(rep, manager):
    response = post(manager, user=rep.pk, to_level="ramping")

    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why the level changes."]}
    rep.refresh_from_db()
    assert rep.autonomy_level == AutonomyLevel.NEW
    assert not AutonomyChange.objects.exists()


def test_with_a_reason_it_is_a_201_with_the_change(rep, manager):
    response = post(manager, user=rep.pk, to_level="ramping", reason="Good first month")

    assert response.status_code == 201
    change = AutonomyChange.objects.get()
    assert response.json() == {
        "id": change.pk,
        "user": rep.pk,
        "from_level": "new",
        "to_level": "ramping",
        "reason": "Good first month",
        "changed_at": response.json()["changed_at"],
        "by": manager.pk,
        "reviewed_on": None,
    }
    rep.refresh_from_db()
    assert rep.autonomy_level == AutonomyLevel.RAMPING


def test_lowering_a_proven_rep_without_a_reason_names_the_streak(proven_rep):
    response = post(proven_rep.team.manager, user=proven_rep.pk, to_level="ramping")

    assert response.status_code == 400
    [message] = response.json()["reason"]
    assert "3 months in a row" in message
    assert not Notification.objects.filter(kind="autonomy.lowered").exists()


def test_a_proven_rep_lowered_is_told_why_and_it_shows_on_their_history(
    client, proven_rep
):
    manager = proven_rep.team.manager
    reason = "New product line: weekly talks"

    response = post(manager, user=proven_rep.pk, to_level="established", reason=reason)

    assert response.status_code == 201
    told = Notification.objects.get(user=proven_rep, kind="autonomy.lowered")
    assert told.body == f"Reason: {reason}"
    client.force_login(manager)
    page = client.get(reverse("meetings:rep_history", args=[proven_rep.pk]))
    assert reason in page.content.decode()


@pytest.mark.parametrize(
    ("to_level", "field"),
    [("autonomous-ish", "to_level"), ("new", "to_level")],
)
def test_an_invalid_or_unchanged_level_is_a_400_on_to_level(
    rep, manager, to_level, field
):
    response = post(manager, user=rep.pk, to_level=to_level, reason="Because")

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_a_person_who_is_not_a_rep_is_a_400_on_user(team):
    admin = factories.UserFactory(role="admin")

    response = post(admin, user=team.manager.pk, to_level="ramping", reason="Because")

    assert response.status_code == 400
    assert response.json() == {"user": ["Only reps have an autonomy level."]}


def test_a_rep_may_not_change_their_own_level(rep):
    response = post(rep, user=rep.pk, to_level="autonomous", reason="I am ready")

    assert response.status_code == 403
    assert not AutonomyChange.objects.exists()


def test_another_teams_manager_gets_a_404(rep):
    other_manager = factories.TeamFactory().manager

    response = post(other_manager, user=rep.pk, to_level="ramping", reason="Mine now")

    assert response.status_code == 404
    assert not AutonomyChange.objects.exists()


def test_an_admin_changes_any_reps_level(rep):
    admin = factories.UserFactory(role="admin")

    response = post(admin, user=rep.pk, to_level="ramping", reason="Agreed with Ana")

    assert response.status_code == 201
    assert AutonomyChange.objects.get().by == admin


# --- The history --------------------------------------------------------------------


def changes_for(rep, count: int) -> None:
    levels = AutonomyLevel.values
    for step in range(count):
        autonomy_set(
            rep=rep,
            to_level=levels[(levels.index(rep.autonomy_level) + 1) % len(levels)],
            reason=f"Step {step}",
        )


def listed(viewer, query: str = "") -> list[int]:
    response = api_client_for(viewer).get(URL + query)
    assert response.status_code == 200
    return [row["user"] for row in response.json()["results"]]


def test_a_rep_sees_only_their_own_history_and_a_manager_their_team(team, manager):
    rep = factories.RepFactory(team=team)
    teammate = factories.RepFactory(team=team)
    outsider = factories.RepFactory(team=factories.TeamFactory())
    for person in (rep, teammate, outsider):
        changes_for(person, 1)

    assert listed(rep) == [rep.pk]
    assert sorted(listed(manager)) == sorted([rep.pk, teammate.pk])
    assert listed(manager, f"?user={teammate.pk}") == [teammate.pk]
    assert listed(manager, f"?user={outsider.pk}") == []
    assert len(listed(factories.UserFactory(role="admin"))) == 3


def test_the_history_is_newest_first_with_who_and_why(rep, manager):
    autonomy_set(rep=rep, to_level="ramping", reason="First", by=manager)
    autonomy_set(rep=rep, to_level="established", reason="Second", by=manager)

    rows = api_client_for(rep).get(URL).json()["results"]

    assert [(row["reason"], row["by"]) for row in rows] == [
        ("Second", manager.pk),
        ("First", manager.pk),
    ]
    assert [(row["from_level"], row["to_level"]) for row in rows] == [
        ("ramping", "established"),
        ("new", "ramping"),
    ]


@pytest.mark.parametrize("count", [2, 60])
def test_the_list_costs_the_same_queries_at_any_size(
    team, manager, django_assert_num_queries, count
):
    for _ in range(3):
        changes_for(factories.RepFactory(team=team), count)
    client = api_client_for(manager)

    # the count and the page (the team's people are a subquery of both)
    with django_assert_num_queries(2):
        response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 3 * count
