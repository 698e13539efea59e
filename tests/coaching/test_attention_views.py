"""coaching/attention_views.py: the page of where the manager's time goes."""

import datetime as dt

import pytest
from django.urls import reverse

from coaching import attention_views
from salesteam.navigation import navigation_for
from tests import factories
from tests.coaching.test_attention import ATHENS, one_on_one
from tests.scenarios import at, rep_with_quota, sell
from tests.test_navigation import active_labels

pytestmark = pytest.mark.django_db


def ledger_page(client, **query):
    return client.get(reverse("attention:ledger"), query)


@pytest.fixture
def october_upside_down(team):
    """Sofia on quota with an hour late in October; Eleni below it, met on the 5th."""
    sofia = rep_with_quota(team, ATHENS, first_name="Sofia", last_name="Lazarou")
    sell(sofia, 12000, at(ATHENS, 2026, 10, 9, 12))
    one_on_one(sofia, at(ATHENS, 2026, 10, 20, 10), 60)
    eleni = rep_with_quota(team, ATHENS, first_name="Eleni", last_name="Pappa")
    sell(eleni, 3000, at(ATHENS, 2026, 10, 9, 12))
    one_on_one(eleni, at(ATHENS, 2026, 10, 5, 10), 30)
    return sofia, eleni


def test_the_manager_sees_each_reps_minutes_against_results_and_the_warning(
    client, manager, october_upside_down
):
    sofia, eleni = october_upside_down
    client.force_login(manager)

    response = ledger_page(client, month="2026-10")

    body = response.content.decode()
    assert response.status_code == 200
    alert = body.split('data-testid="attention-upside-down"')[1]
    warning = alert.split("</div>\n")[1].split("<div")[0]  # the sentence
    assert "66% of the month" in warning and "Eleni Pappa" in warning
    assert "Sofia" not in warning
    booking = reverse("meetings:schedule") + f"?rep={eleni.pk}"
    assert f'href="{booking}" data-testid="attention-book-{eleni.pk}"' in body
    assert f'data-testid="attention-book-{sofia.pk}"' not in body
    eleni_row = body.split(f'data-testid="attention-row-{eleni.pk}"')[1].split("</tr>")[
        0
    ]
    assert "30%" in eleni_row and "Below quota" in eleni_row
    assert "5 Oct 2026" in eleni_row and "table-warning" in eleni_row
    sofia_row = body.split(f'data-testid="attention-row-{sofia.pk}"')[1].split("</tr>")[
        0
    ]
    assert "On quota" in sofia_row and ">60<" in sofia_row
    assert 'data-testid="attention-total-minutes">90<' in body


def test_no_warning_when_the_rep_below_quota_was_met_lately(
    client, manager, october_upside_down
):
    _sofia, eleni = october_upside_down
    one_on_one(eleni, at(ATHENS, 2026, 10, 28, 10), 15)
    client.force_login(manager)

    body = ledger_page(client, month="2026-10").content.decode()

    assert 'data-testid="attention-upside-down"' not in body


@pytest.mark.parametrize("team_size", [5, 50])
def test_the_page_reads_a_constant_number_of_queries(
    client, manager, team, django_assert_num_queries, team_size
):
    for index in range(team_size):
        rep = rep_with_quota(team, ATHENS)
        one_on_one(rep, at(ATHENS, 2026, 10, 1 + index % 28, 10), 30)
    client.force_login(manager)

    # session, viewer, the viewer's teams; the ledger (reps; metrics, targets, tallies;
    # one-on-ones, the last before them; kudos, action items; at-risk flags);
    # unread notifications
    with django_assert_num_queries(13):
        response = ledger_page(client, month="2026-10")

    assert len(response.context["page"].object_list) == min(team_size, 25)


def test_the_page_is_paginated_and_keeps_the_team_and_month(
    client, manager, team, monkeypatch
):
    monkeypatch.setattr(attention_views, "ATTENTION_PAGE_SIZE", 2)
    factories.RepFactory.create_batch(3, team=team)
    client.force_login(manager)

    first = ledger_page(client, team=team.pk, month="2026-10")
    second = ledger_page(client, team=team.pk, month="2026-10", page=2)

    assert len(first.context["page"].object_list) == 2
    assert f"?team={team.pk}&amp;month=2026-10&amp;page=2" in first.content.decode()
    assert len(second.context["page"].object_list) == 1


@pytest.mark.parametrize(
    ("month", "error"),
    [
        ("2026-13", "Choose a month as YYYY-MM"),
        ("2999-01", "Choose this month or an earlier one."),
    ],
)
def test_a_month_that_cannot_be_read_falls_back_to_this_month_with_the_reason(
    client, manager, rep, month, error
):
    client.force_login(manager)

    response = ledger_page(client, month=month)

    assert response.status_code == 200
    assert response.context["month"] == manager.local_date().replace(day=1)
    assert error in response.content.decode()


def test_the_default_is_this_month_in_the_viewers_calendar(client, manager, rep):
    client.force_login(manager)

    response = ledger_page(client)

    assert response.context["month"] == manager.local_date().replace(day=1)
    assert isinstance(response.context["month"], dt.date)


def test_an_admin_picks_any_team_and_a_manager_gets_404_for_anothers(
    client, admin_user, manager, team, rep
):
    other = factories.TeamFactory(name="Zeta")
    client.force_login(admin_user)

    body = ledger_page(client, team=other.pk).content.decode()
    assert 'id="attention-team"' in body
    assert 'data-testid="attention-empty"' in body
    assert f'data-testid="attention-row-{rep.pk}"' in (
        ledger_page(client, team=team.pk).content.decode()
    )

    client.force_login(manager)
    assert ledger_page(client, team=other.pk).status_code == 404


def test_a_rep_is_told_no(client, rep):
    client.force_login(rep)

    assert ledger_page(client).status_code == 403
    assert ledger_page(client, team=rep.team_id).status_code == 403


def test_a_manager_without_a_team_is_told_so(client):
    client.force_login(factories.ManagerFactory())

    body = ledger_page(client).content.decode()

    assert "You do not lead a team yet." in body


def test_the_page_lights_up_its_own_navigation_item_for_staff_only():
    assert active_labels(factories.ManagerFactory(), "/coaching/attention/") == [
        "Time with reps"
    ]
    rep_labels = [str(item.label) for item in navigation_for(factories.RepFactory())]
    assert "Time with reps" not in rep_labels
