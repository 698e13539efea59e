"""Issue 18, point 3: the admin's organisation view (targets/dashboard/organisation.py).

One row per team, a page of teams at a time; the team's name opens its dashboard; a
search finds teams and reps. Its query count is the same for 3 teams and for 25.
"""

import pytest
from django.urls import reverse

from targets.dashboard import dashboard_for
from targets.dashboard.organisation import ORGANISATION_PAGE_SIZE, REP_PAGE_SIZE
from targets.models import Flag
from tests import factories
from tests.targets.test_dashboard_views import build_team

URL = "/targets/dashboard/"


def open_flag(rep, kind="below_quota") -> Flag:
    return Flag.objects.create(
        rep=rep,
        kind=kind,
        metric=factories.metric("revenue"),
        period="month",
        period_start="2026-10-01",
        period_end="2026-10-31",
        target=10000,
        actual=6400,
        percent=64,
    )


@pytest.fixture
def teams(db):
    """Three teams (2, 3 and 1 reps), each with its own manager and the standard
    targets; the first team's first rep has two open flags."""
    built = [
        build_team(manager=factories.ManagerFactory(), reps=size, days=10)
        for size in (2, 3, 1)
    ]
    for index, team in enumerate(built):
        team.name = f"Team {'CAB'[index]}"
        team.save(update_fields=["name"])
    rep = built[0].members.filter(role="rep").first()
    open_flag(rep)
    open_flag(rep, kind="at_risk")
    return built


def test_an_admins_dashboard_is_one_row_per_team_in_name_order(
    client, admin_user, teams
):
    client.force_login(admin_user)
    for params in ({}, {"team": "all"}):
        response = client.get(URL, params)
        assert response.status_code == 200
        assert "targets/dashboard/organisation.html" in [
            template.name for template in response.templates
        ]
        organisation = response.context["organisation"]
        assert [row.team.name for row in organisation.rows] == [
            "Team A",
            "Team B",
            "Team C",
        ]
        assert [row.reps for row in organisation.rows] == [3, 1, 2]
        assert organisation.rep_count == 6 and organisation.open_flag_count == 2
        assert organisation.team_count == 3
    page = response.content.decode()
    assert page.count('data-testid="organisation-row"') == 3
    team_c = teams[0]
    assert f'team={team_c.pk}" data-testid="team-link">Team C</a>' in page


def test_a_teams_row_is_its_dashboards_quota_total_and_behind_count(
    client, admin_user, teams
):
    client.force_login(admin_user)
    for period in ("week", "month", "today", "last_month"):
        rows = client.get(URL, {"period": period}).context["organisation"].rows
        for row in rows:
            board = dashboard_for(
                viewer=admin_user, teams=[row.team], team=row.team, period=period
            )
            revenue = [column.slug for column in board.columns].index("revenue")
            total = board.totals[revenue]
            assert (row.quota.actual, row.quota.target, row.quota.status) == (
                total.actual,
                total.target,
                total.status,
            )
            assert row.behind == len(board.needs_attention)
            assert row.open_flags == len(board.flags)
            assert row.quota_label == board.quota_label


def test_a_teams_name_opens_its_dashboard(client, admin_user, teams):
    client.force_login(admin_user)
    response = client.get(URL, {"team": teams[1].pk, "period": "month"})
    assert response.context["dashboard"].team == teams[1]
    assert len(response.context["dashboard"].rows) == 3


def test_the_search_finds_teams_and_reps_a_page_at_a_time(client, admin_user, teams):
    rep = teams[1].members.filter(role="rep").first()
    rep.first_name, rep.last_name = "Zoë", "Quixote"
    rep.save(update_fields=["first_name", "last_name"])
    client.force_login(admin_user)
    response = client.get(URL, {"q": " team b "})
    assert [row.team.name for row in response.context["organisation"].rows] == [
        "Team B"
    ]
    assert response.context["reps"].paginator.count == 0
    assert 'data-testid="reps-no-match"' in response.content.decode()
    response = client.get(URL, {"q": "quixote"})
    assert list(response.context["reps"]) == [rep]
    assert 'data-testid="organisation-no-match"' in response.content.decode()
    assert "Zoë Quixote" in response.content.decode()
    # Enough reps for two pages: the second keeps the search and the period
    team = teams[2]
    for index in range(REP_PAGE_SIZE + 1):
        factories.RepFactory(
            team=team, first_name="Pat", last_name=f"Pagewright {index:02d}"
        )
    response = client.get(URL, {"q": "pagewright", "period": "month"})
    page = response.content.decode()
    assert response.context["reps"].paginator.num_pages == 2
    assert "?q=pagewright&amp;period=month&amp;reps=2" in page
    response = client.get(URL, {"q": "pagewright", "reps": 2})
    assert [str(rep) for rep in response.context["reps"]] == [
        str(factories.RepFactory._meta.model.objects.get(last_name="Pagewright 25"))
    ]


def test_teams_come_a_page_at_a_time(client, admin_user, db):
    for index in range(ORGANISATION_PAGE_SIZE + 2):
        factories.TeamFactory(name=f"Squad {index:02d}")
    client.force_login(admin_user)
    first = client.get(URL).context["organisation"]
    assert len(first.rows) == ORGANISATION_PAGE_SIZE and first.page.has_next()
    response = client.get(URL, {"page": 2, "q": "squad"})
    assert [row.team.name for row in response.context["organisation"].rows] == [
        f"Squad {ORGANISATION_PAGE_SIZE:02d}",
        f"Squad {ORGANISATION_PAGE_SIZE + 1:02d}",
    ]
    assert [row.quota for row in response.context["organisation"].rows] == [None] * 2
    # A page past the end shows the last one; nonsense shows the first
    assert client.get(URL, {"page": 99}).context["organisation"].page.number == 2
    assert client.get(URL, {"page": "x"}).context["organisation"].page.number == 1


def test_empty_states_and_escaping(client, admin_user, db):
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert 'data-testid="organisation-empty"' in page
    assert reverse("team-add") in page
    factories.TeamFactory(name="North & <i>South</i>")
    page = client.get(URL, {"q": "<script>"}).content.decode()
    assert 'data-testid="organisation-no-match"' in page
    assert "<script>" not in page.split('id="teams-title"')[1]
    page = client.get(URL).content.decode()
    assert "North &amp; &lt;i&gt;South&lt;/i&gt;" in page


def test_managers_keep_their_all_teams_dashboard_and_reps_are_refused(client, teams):
    manager = teams[0].manager
    client.force_login(manager)
    response = client.get(URL, {"team": "all"})
    assert "dashboard" in response.context and "organisation" not in response.context
    client.force_login(teams[0].members.filter(role="rep").first())
    assert client.get(URL).status_code == 403


def test_the_query_count_is_the_same_for_3_teams_and_for_25(
    client, admin_user, teams, django_assert_num_queries
):
    # session, user; the page of teams with the teams, reps and open flags counted;
    # their reps with open flags; targets; tallies; unread notifications. The quota
    # metric comes from the process's copy of the metrics, loaded by a first request.
    client.force_login(admin_user)
    client.get(URL)
    with django_assert_num_queries(7):
        assert client.get(URL, {"period": "month"}).status_code == 200
    with django_assert_num_queries(9):  # + the matching reps, counted and a page
        assert client.get(URL, {"q": "a"}).status_code == 200
    for _ in range(22):
        build_team(manager=factories.ManagerFactory(), reps=4, days=30)
    client.get(URL)
    with django_assert_num_queries(7):
        assert client.get(URL, {"period": "month"}).status_code == 200
    with django_assert_num_queries(9):
        assert client.get(URL, {"q": "a", "page": 3}).status_code == 200


def test_an_admins_drill_down_reads_one_team_not_the_organisations(
    client, admin_user, teams, django_assert_num_queries
):
    client.force_login(admin_user)
    response = client.get(URL, {"team": teams[0].pk})
    assert response.context["dashboard"].teams == [teams[0]]
    page = response.content.decode()
    assert "Team A" not in page and "Team B" not in page  # no option per team
    assert client.get(URL, {"team": 10**17}).status_code == 404
    # session, user, the team, reps, metrics, targets, tallies, sparklines, flags, the
    # forecast's recent days and quota lines, unread notifications: the same with five
    # more teams
    with django_assert_num_queries(12):
        client.get(URL, {"team": teams[0].pk})
    for _ in range(5):
        factories.TeamFactory()
    with django_assert_num_queries(12):
        client.get(URL, {"team": teams[0].pk})


def test_an_admins_home_page_is_the_organisation_view(client, admin_user, teams):
    # Given an admin signed in
    client.force_login(admin_user)
    # When they open the home page (where "Dashboard" and signing in lead)
    response = client.get("/")
    # Then it is the organisation view, one row per team, as on /targets/dashboard/
    templates = [template.name for template in response.templates]
    assert "targets/dashboard/organisation.html" in templates
