"""targets/personal_goals.py and its page and API: a rep's own goals above the agreed
targets, seen by their manager only when shared."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from targets.models import PersonalGoal
from targets.personal_goals import (
    personal_goal_set,
    personal_goal_update,
    personal_goals_for,
    personal_goals_visible_to,
)
from targets.services import target_set
from tests import factories
from tests.targets.test_dashboard import give_standard_targets, log


@pytest.fixture
def eleni(team):
    """A rep with the standard targets: 25 calls a day, 5 appointments a week."""
    rep = factories.RepFactory(team=team, first_name="Eleni", timezone="Europe/Athens")
    give_standard_targets(rep)
    return rep


def calls():
    return factories.metric("calls")


# --- The service ----------------------------------------------------------------------


def test_a_goal_above_the_agreed_target_is_set_and_replaced(eleni):
    goal = personal_goal_set(rep=eleni, metric=calls(), period="day", amount=30)
    assert (goal.amount, goal.shared) == (30, False)
    again = personal_goal_set(
        rep=eleni, metric=calls(), period="day", amount=35, shared=True
    )
    assert again.pk == goal.pk
    assert PersonalGoal.objects.get().amount == 35 and again.shared


@pytest.mark.parametrize("amount", [Decimal(25), Decimal(10)])
def test_a_goal_at_or_below_the_target_is_refused(eleni, amount):
    with pytest.raises(ValidationError) as error:
        personal_goal_set(rep=eleni, metric=calls(), period="day", amount=amount)
    assert error.value.message_dict == {
        "amount": ["Your agreed target is 25 Calls per day: aim above it."]
    }
    assert not PersonalGoal.objects.exists()


def test_a_goal_in_another_period_than_the_target_is_refused(eleni):
    with pytest.raises(ValidationError) as error:
        personal_goal_set(rep=eleni, metric=calls(), period="week", amount=200)
    assert list(error.value.message_dict) == ["period"]
    assert "per day" in error.value.message_dict["period"][0]


def test_a_goal_without_an_agreed_target_is_refused(team):
    rep = factories.RepFactory(team=team)
    with pytest.raises(ValidationError) as error:
        personal_goal_set(rep=rep, metric=calls(), period="day", amount=30)
    assert list(error.value.message_dict) == ["metric"]


def test_the_target_in_force_today_is_the_bar(eleni, manager):
    # Given calls raised to 40 a day from tomorrow (in the rep's calendar)
    from targets.services import target_set

    today = eleni.local_date()
    target_set(
        rep=eleni,
        metric=calls(),
        period="day",
        amount=40,
        effective_from=today + dt.timedelta(days=1),
        by=manager,
    )
    # Then today 30 is above the target (25), and a change of amount is checked too
    goal = personal_goal_set(rep=eleni, metric=calls(), period="day", amount=30)
    with pytest.raises(ValidationError):
        personal_goal_update(goal=goal, amount=Decimal(20))
    assert personal_goal_update(goal=goal, shared=True).shared


def test_the_manager_sees_only_shared_goals(eleni, manager):
    personal_goal_set(rep=eleni, metric=calls(), period="day", amount=30)
    personal_goal_set(
        rep=eleni,
        metric=factories.metric("appointments"),
        period="week",
        amount=7,
        shared=True,
    )
    assert len(personal_goals_for(viewer=eleni, rep=eleni)) == 2
    shared = list(personal_goals_for(viewer=manager, rep=eleni))
    assert [goal.metric.slug for goal in shared] == ["appointments"]
    assert [goal.metric.slug for goal in personal_goals_visible_to(manager)] == [
        "appointments"
    ]
    other_manager = factories.ManagerFactory()
    factories.TeamFactory(manager=other_manager)
    assert not personal_goals_visible_to(other_manager).exists()
    assert not personal_goals_visible_to(factories.RepFactory(team=eleni.team)).exists()


# --- The results page -----------------------------------------------------------------


def test_the_rep_sets_a_goal_on_their_results_page_and_sees_progress(client, eleni):
    log(eleni, "calls", eleni.local_date(), 12, hour=0)
    client.force_login(eleni)
    response = client.post(
        reverse("targets:goal_save"),
        {"metric": "calls", "period": "day", "amount": "30", "shared": "on"},
    )
    assert response.status_code == 302
    goal = PersonalGoal.objects.get(rep=eleni)
    assert (goal.amount, goal.shared) == (30, True)
    page = client.get(reverse("targets:my_results")).content.decode()
    assert 'data-testid="personal-goal"' in page
    # 12 of 30 calls today: the percent rule rounds down (40 %)
    assert "12 so far · 40 %" in page
    assert "shared with your manager" in page


def test_a_goal_below_the_target_is_explained_and_nothing_typed_is_lost(client, eleni):
    client.force_login(eleni)
    response = client.post(
        reverse("targets:goal_save"),
        {"metric": "calls", "period": "day", "amount": "20", "shared": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Your agreed target is 25 Calls per day: aim above it." in page
    assert 'name="amount" id="id_amount" value="20"' in page
    assert 'name="shared" id="id_shared" checked' in page
    assert not PersonalGoal.objects.exists()


def test_the_manager_sees_a_shared_goal_on_the_drill_down_and_not_an_unshared_one(
    client, eleni, manager
):
    personal_goal_set(
        rep=eleni,
        metric=factories.metric("appointments"),
        period="week",
        amount=8,
        shared=True,
    )
    personal_goal_set(rep=eleni, metric=calls(), period="day", amount=31)
    client.force_login(manager)
    page = client.get(reverse("targets:rep_results", args=[eleni.pk])).content.decode()
    assert "Personal goals shared with you" in page
    assert page.count('data-testid="personal-goal"') == 1
    assert "8 per week" in page and "31 per day" not in page
    assert 'data-testid="goal-form"' not in page


def test_the_manager_sees_no_goals_section_when_nothing_is_shared(
    client, eleni, manager
):
    personal_goal_set(rep=eleni, metric=calls(), period="day", amount=31)
    client.force_login(manager)
    page = client.get(reverse("targets:rep_results", args=[eleni.pk])).content.decode()
    assert 'data-testid="personal-goals"' not in page


def test_consistency_is_shown_to_the_rep_and_never_to_the_manager(
    client, eleni, manager
):
    # Given Eleni logged today and yesterday
    today = eleni.local_date()
    for back in (0, 1):
        log(eleni, "calls", today - dt.timedelta(days=back), 5, hour=0)
    client.force_login(eleni)
    own = client.get(reverse("targets:my_results")).content.decode()
    assert 'data-testid="consistency"' in own
    assert "work days this month" in own and "streak" in own
    # The manager's drill-down and dashboard have none of it, nor the time of day
    # anything was logged
    client.force_login(manager)
    drill_down = client.get(reverse("targets:rep_results", args=[eleni.pk]))
    dashboard = client.get(reverse("targets:dashboard"))
    for response in (drill_down, dashboard):
        page = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="consistency"' not in page
        assert "work days this month" not in page
        assert "streak 2 days" not in page
    assert drill_down.context["consistency"] is None
    # Eleni sees when she logged (00:00 her time); her manager sees the day only
    assert ", 00:00" in own
    assert ", 00:00" not in drill_down.content.decode()


def test_only_the_rep_shares_or_removes_their_goal(client, eleni, manager):
    goal = personal_goal_set(rep=eleni, metric=calls(), period="day", amount=30)
    client.force_login(manager)
    url = reverse("targets:goal_share", args=[goal.pk])
    assert client.post(url, {"shared": "1"}).status_code == 404
    assert (
        client.post(reverse("targets:goal_delete", args=[goal.pk])).status_code == 404
    )
    client.force_login(eleni)
    assert client.post(url, {"shared": "1"}).status_code == 302
    assert PersonalGoal.objects.get().shared
    assert (
        client.post(reverse("targets:goal_delete", args=[goal.pk])).status_code == 302
    )
    assert not PersonalGoal.objects.exists()


# --- The API --------------------------------------------------------------------------


def test_the_api_creates_lists_changes_and_deletes_ones_own_goals(api_client, eleni):
    api_client.force_authenticate(eleni)
    url = "/api/v1/personal-goals/"
    response = api_client.post(
        url, {"metric": "calls", "period": "day", "amount": "30"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["metric"] == "calls" and body["shared"] is False
    assert body["amount"] == "30.00" and body["user"] == eleni.pk
    listed = api_client.get(url).json()
    assert [goal["id"] for goal in listed["results"]] == [body["id"]]
    changed = api_client.patch(f"{url}{body['id']}/", {"shared": True}, format="json")
    assert changed.status_code == 200 and changed.json()["shared"] is True
    assert api_client.delete(f"{url}{body['id']}/").status_code == 204


def test_the_api_answers_a_bad_goal_with_a_message_per_field(api_client, eleni):
    api_client.force_authenticate(eleni)
    url = "/api/v1/personal-goals/"
    low = api_client.post(
        url, {"metric": "calls", "period": "day", "amount": "25"}, format="json"
    )
    assert low.status_code == 400
    assert low.json() == {
        "amount": ["Your agreed target is 25 Calls per day: aim above it."]
    }
    unknown = api_client.post(
        url, {"metric": "nope", "period": "day", "amount": "30"}, format="json"
    )
    assert unknown.status_code == 400 and list(unknown.json()) == ["metric"]
    bad = api_client.post(url, {"period": "year", "amount": "-1"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()) == {"metric", "period", "amount"}


def test_a_manager_lists_a_reps_shared_goals_only_and_cannot_change_them(
    api_client, eleni, manager
):
    shared = personal_goal_set(
        rep=eleni, metric=calls(), period="day", amount=30, shared=True
    )
    personal_goal_set(
        rep=eleni, metric=factories.metric("appointments"), period="week", amount=7
    )
    api_client.force_authenticate(manager)
    url = "/api/v1/personal-goals/"
    assert api_client.get(url).json()["results"] == []  # their own: none
    listed = api_client.get(url, {"user": eleni.pk}).json()["results"]
    assert [goal["id"] for goal in listed] == [shared.pk]
    detail = f"{url}{shared.pk}/"
    assert api_client.get(detail).status_code == 200
    assert api_client.patch(detail, {"amount": "99"}, format="json").status_code == 404
    assert api_client.delete(detail).status_code == 404
    # Another rep of the team sees none of Eleni's
    api_client.force_authenticate(factories.RepFactory(team=eleni.team))
    assert api_client.get(url, {"user": eleni.pk}).json()["results"] == []
    assert api_client.get(detail).status_code == 404


@pytest.mark.parametrize("goals", [1, 3])
def test_the_goal_list_costs_the_same_queries(
    api_client, team, django_assert_num_queries, goals
):
    reps = [factories.RepFactory(team=team) for _index in range(goals)]
    for rep in reps:
        give_standard_targets(rep)
        for slug, period, amount in (("calls", "day", 30), ("appointments", "week", 6)):
            personal_goal_set(
                rep=rep,
                metric=factories.metric(slug),
                period=period,
                amount=amount,
                shared=True,
            )
    api_client.force_authenticate(team.manager)
    # the count, the page
    with django_assert_num_queries(2):
        response = api_client.get("/api/v1/personal-goals/", {"user": reps[0].pk})
    assert len(response.json()["results"]) == 2


def test_a_goal_takes_the_period_of_its_agreed_target_without_asking(client, eleni):
    target_set(
        rep=eleni,
        metric=factories.metric("appointments"),
        period="week",
        amount=Decimal(5),
        effective_from=dt.date(2026, 1, 1),
        by=None,
    )
    client.force_login(eleni)

    page = client.get(reverse("targets:my_results")).content.decode()
    response = client.post(
        reverse("targets:goal_save"), {"metric": "appointments", "amount": "7"}
    )

    assert 'name="period"' not in page
    assert response.status_code == 302
    assert PersonalGoal.objects.get(rep=eleni).period == "week"
