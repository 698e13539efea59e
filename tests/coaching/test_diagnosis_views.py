"""coaching/diagnosis_views.py: the rep's diagnosis panel and the team's funnel."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching import diagnosis_views
from coaching.diagnosis import diagnose
from targets.forecast import MonthForecast
from tests import factories
from tests.coaching.diagnosis_data import log_funnel, monthly_quota

pytestmark = pytest.mark.django_db


def in_window(rep) -> dt.date:
    """A day well inside the rep's 90-day window (which ends yesterday)."""
    return rep.local_date(timezone.now()) - dt.timedelta(days=20)


def strong_rep(team, name: str):
    """31 % connected, 20 % booked, 25 % closed at €2,000: the team's usual funnel."""
    rep = factories.RepFactory(team=team, first_name=name)
    log_funnel(
        rep,
        in_window(rep),
        calls=500,
        connected=155,
        appointments=31,
        deals=8,
        deal_amount=2000,
    )
    monthly_quota(rep, 20000)
    return rep


@pytest.fixture
def eleni(team):
    """As many calls as the team, but 14 % connected: connecting is her constraint."""
    rep = factories.RepFactory(team=team, first_name="Eleni", last_name="Pappa")
    log_funnel(
        rep,
        in_window(rep),
        calls=500,
        connected=70,
        appointments=14,
        deals=4,
        deal_amount=2000,
    )
    monthly_quota(rep, 20000)
    return rep


@pytest.fixture
def teammates(team):
    return [strong_rep(team, "Nikos"), strong_rep(team, "Sofia")]


def panel(client, rep):
    return client.get(reverse("diagnosis:panel", args=[rep.pk]))


def test_the_manager_reads_the_constraint_the_numbers_and_the_back_solve(
    client, manager, eleni, teammates
):
    # Given Eleni, who connects on 14 % against the team's 31 %
    client.force_login(manager)

    # When her manager opens her diagnosis
    response = panel(client, eleni)

    # Then connecting is the constraint, said in the manager's words
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="stage-connect"' in body
    constraint_row = body.split('data-testid="stage-connect"')[0].rsplit("<tr", 1)[1]
    assert "table-warning" in constraint_row
    assert body.count('data-testid="constraint-badge"') == 1
    assert (
        "Eleni makes as many calls as the team, but connects on 14 % against the "
        "team&#x27;s 31 %." in body
    )
    # and the back-solve at her rates and at the team's connect rate
    required = diagnose(eleni).required_at_team_rate
    assert "€20,000 at Eleni&#x27;s rates needs" in body
    assert (
        f"If Eleni&#x27;s connect rate reaches the team&#x27;s, {required.calls:,}"
        in (body)
    )
    assert 'data-testid="diagnosis-assumptions"' in body


def test_the_rep_reads_their_own_diagnosis_in_the_second_person_without_teammates(
    client, eleni, teammates
):
    client.force_login(eleni)

    body = panel(client, eleni).content.decode()

    assert "You make as many calls as the team, but connect on 14 %" in body
    assert "your rates needs" in body
    assert "Nikos" not in body and "Sofia" not in body
    assert "Team median" in body and "Top quartile" in body


def test_a_rep_cannot_read_a_teammates_diagnosis(client, eleni, teammates):
    client.force_login(teammates[0])

    assert panel(client, eleni).status_code == 404


def test_a_new_rep_with_nothing_logged_is_told_what_starts_the_diagnosis(
    client, manager, team
):
    rep = factories.RepFactory(team=team, first_name="Tia")
    client.force_login(manager)

    body = panel(client, rep).content.decode()

    assert 'data-testid="diagnosis-empty"' in body
    assert "Tia's diagnosis starts with the first calls" in body


def test_without_a_quota_the_panel_says_there_is_nothing_to_work_back_from(
    client, manager, team, teammates
):
    rep = factories.RepFactory(team=team, first_name="Tia")
    log_funnel(
        rep,
        in_window(rep),
        calls=300,
        connected=90,
        appointments=18,
        deals=4,
        deal_amount=1000,
    )
    client.force_login(manager)

    body = panel(client, rep).content.decode()

    assert "There is no quota for" in body
    assert 'data-testid="diagnosis-assumptions"' not in body


def panel_with_forecast(client, manager, rep, monkeypatch, *, low, expected, high):
    """The panel, as the manager sees it, with this forecast of the rep's month."""
    today = rep.local_date(timezone.now())
    forecast = MonthForecast(
        metric_slug="revenue",
        month=(today.replace(day=1), today.replace(day=28)),
        actual=Decimal(6000),
        low=Decimal(low),
        expected=Decimal(expected),
        high=Decimal(high),
        quota=Decimal(20000),
    )
    monkeypatch.setattr(
        "coaching.selectors.month_forecasts",
        lambda reps, **kwargs: {rep.pk: forecast},
    )
    client.force_login(manager)
    return panel(client, rep).content.decode()


def test_the_forecast_is_shown_when_there_is_one(
    client, manager, eleni, teammates, monkeypatch
):
    body = panel_with_forecast(
        client, manager, eleni, monkeypatch, low=9000, expected=12400, high=15800
    )

    assert "Expected €12,400 (between €9,000 and €15,800)" in body
    assert "quota €20,000" in body and "at risk" in body


def test_a_forecast_without_spread_reads_as_one_amount(
    client, manager, eleni, teammates, monkeypatch
):
    body = panel_with_forecast(
        client, manager, eleni, monkeypatch, low=24840, expected=24840, high=24840
    )

    assert "Expected €24,840 · quota €20,000" in body
    assert "(between" not in body


def test_a_rep_with_recent_work_gets_a_forecast_of_the_month(
    client, manager, eleni, teammates
):
    client.force_login(manager)

    body = panel(client, eleni).content.decode()

    assert 'data-testid="diagnosis-forecast"' in body


def test_the_panel_links_to_the_reps_open_plan(client, manager, eleni, teammates):
    from tests.coaching.test_plan_weeks import open_plan

    plan = open_plan(eleni)
    client.force_login(manager)

    body = panel(client, eleni).content.decode()

    assert reverse("coaching:plan", args=[plan.pk]) in body


@pytest.mark.parametrize("team_size", [3, 9])
def test_the_panel_reads_a_constant_number_of_queries(
    client, manager, team, eleni, django_assert_num_queries, team_size
):
    for number in range(team_size - 1):
        strong_rep(team, f"Rep{number}")
    client.force_login(manager)

    # session, viewer, the rep; the diagnosis (teammates, metrics, tallies, connected
    # calls, the quota's targets and tallies); the forecast (the quota metric, its
    # targets and tallies); the open plan; unread notifications
    with django_assert_num_queries(13):
        assert panel(client, eleni).status_code == 200


def test_the_results_pages_load_the_panel_by_its_url(client, manager, eleni):
    url = reverse("diagnosis:panel", args=[eleni.pk])

    client.force_login(manager)
    drill_down = client.get(reverse("targets:rep_results", args=[eleni.pk]))
    client.force_login(eleni)
    own = client.get(reverse("targets:my_results"))

    for response in (drill_down, own):
        assert f'hx-get="{url}"' in response.content.decode()
        assert 'hx-trigger="load"' in response.content.decode()


# --- The team funnel ---------------------------------------------------------------


def funnel(client, **query):
    return client.get(reverse("diagnosis:funnel"), query)


def test_the_funnel_has_a_row_per_rep_with_the_constraint_marked_and_links(
    client, manager, team, eleni, teammates
):
    client.force_login(manager)

    response = funnel(client)

    body = response.content.decode()
    assert response.status_code == 200
    for rep in (eleni, *teammates):
        assert f'data-testid="funnel-row-{rep.pk}"' in body
    # Eleni loses the most at her constraint: she comes first, her connect cell marked
    first_row = [diagnosis.rep for diagnosis in response.context["page"].object_list]
    assert first_row[0] == eleni
    eleni_row = body.split(f'data-testid="funnel-row-{eleni.pk}"')[1].split("</tr>")[0]
    assert 'data-testid="constraint-cell"' in eleni_row
    assert "Call → connected" in eleni_row
    assert reverse("targets:rep_results", args=[eleni.pk]) in eleni_row


def test_the_funnel_is_paginated_and_keeps_the_team(
    client, manager, team, eleni, teammates, monkeypatch
):
    monkeypatch.setattr(diagnosis_views, "FUNNEL_PAGE_SIZE", 2)
    client.force_login(manager)

    first = funnel(client, team=team.pk)
    second = funnel(client, team=team.pk, page=2)

    assert len(first.context["page"].object_list) == 2
    assert f"?team={team.pk}&amp;page=2" in first.content.decode()
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize("team_size", [5, 50])
def test_the_funnel_reads_a_constant_number_of_queries(
    client, manager, team, django_assert_num_queries, team_size
):
    factories.RepFactory.create_batch(team_size, team=team)
    client.force_login(manager)

    # session, viewer, the viewer's teams; the team's reps; the diagnosis (teammates,
    # metrics, tallies, connected calls, the quotas' targets and tallies); notifications
    with django_assert_num_queries(10):
        response = funnel(client)

    assert len(response.context["page"].object_list) == min(team_size, 25)


def test_an_admin_picks_a_team_and_another_managers_team_is_not_found(
    client, admin_user, manager, team, eleni
):
    other = factories.TeamFactory(name="Zeta")
    client.force_login(admin_user)

    body = funnel(client, team=other.pk).content.decode()
    assert 'data-testid="funnel-team-form"' in body
    assert 'data-testid="funnel-empty"' in body

    client.force_login(manager)
    assert funnel(client, team=other.pk).status_code == 404


def test_a_rep_is_told_no(client, eleni):
    client.force_login(eleni)

    assert funnel(client).status_code == 403


def test_a_rep_with_one_teammate_sees_only_their_own_numbers(client, team, eleni):
    # Given a team of two that keeps its leaderboard to itself: its median would be
    # half the teammate's numbers
    team.leaderboard_visible_to_reps = False
    team.save()
    nikos = strong_rep(team, "Nikos")
    client.force_login(eleni)

    body = panel(client, eleni).content.decode()

    assert 'data-testid="team-figures-hidden"' in body
    assert "Team median" not in body and "31 %" not in body
    assert "your rates needs" in body
    # while a team that shares its leaderboard shows the team's figures
    team.leaderboard_visible_to_reps = True
    team.save()
    assert "Team median" in panel(client, eleni).content.decode()
    client.force_login(nikos)
    assert panel(client, eleni).status_code == 404
