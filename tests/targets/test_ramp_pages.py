"""Where a ramp shows: the rep's results and Today, the manager's dashboard row, and
the manager's form that ends a ramp early. The pages read the ramp with the targets,
so their query counts are those of a rep without one."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from targets.models import RampChange, RepRamp
from tests import factories
from tests.scenarios import rep_on_ramp
from tests.targets.test_dashboard_views import DASHBOARD_QUERIES, OWN_RESULTS_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_in_week_two(team):
    """A rep in Athens whose ramp (50 % × 4 weeks, 75 % × 4) began 8 days ago."""
    factories.standard_template()
    starts = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=8)
    rep = rep_on_ramp(
        team,
        "UTC",
        starts_on=starts,
        calls=("day", 25),
        revenue=("month", 20000),
    )
    return rep


def test_the_rep_sees_their_ramp_week_on_their_results_page(
    client, rep_in_week_two, django_assert_num_queries
):
    RampChange.objects.create(
        rep=rep_in_week_two,
        kind="started",
        reason="From the template “Standard rep”.",
        changed_at=timezone.now(),
    )
    client.force_login(rep_in_week_two)
    # Their own page, and one more for why the ramp is as it is
    with django_assert_num_queries(OWN_RESULTS_QUERIES + 1):
        page = client.get(reverse("targets:my_results"))
    text = page.content.decode()
    assert "Ramp week 2 of 8" in text
    assert "Targets at 50% of the full ones" in text
    full_from = rep_in_week_two.ramp.curve.full_from
    assert f"Full targets from {full_from:%-d %b %Y}" in text
    assert 'data-testid="ramp-forms"' not in text  # the rep cannot change it
    assert "Ramp started: From the template “Standard rep”." in text


def test_the_rep_sees_their_ramp_week_on_today(client, rep_in_week_two):
    client.force_login(rep_in_week_two)
    page = client.get(reverse("home"))
    assert "Ramp week 2 of 8" in page.content.decode()
    # and the day's calls target is the ramped one: half of 25
    assert page.context["today"].cards[0].items[0].target == 13


def test_a_rep_off_a_ramp_sees_no_ramp(client, rep_in_week_two):
    RepRamp.objects.filter(rep=rep_in_week_two).update(starts_on=dt.date(2025, 1, 6))
    client.force_login(rep_in_week_two)
    assert "Ramp week" not in client.get(reverse("home")).content.decode()


def test_the_manager_sees_a_ramp_badge_on_the_dashboard_row(
    client, manager, rep_in_week_two, django_assert_num_queries
):
    client.force_login(manager)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = client.get(reverse("targets:dashboard"))
    assert 'data-testid="badge-ramp">Ramp week 2 of 8<' in page.content.decode()


def test_the_manager_ends_the_ramp_early_with_a_reason(
    client, manager, rep_in_week_two
):
    client.force_login(manager)
    url = reverse("targets:ramp_end", args=[rep_in_week_two.pk])
    page = client.get(reverse("targets:rep_results", args=[rep_in_week_two.pk]))
    assert 'data-testid="ramp-end"' in page.content.decode()
    assert 'value="4x50, 4x75"' in page.content.decode()  # the change form, filled

    # Without a reason nothing changes and the page says why
    answer = client.post(url, {"reason": ""}, follow=True)
    assert "This field is required." in answer.content.decode()
    assert not RampChange.objects.exists()

    # With one, the full targets count from today and the change keeps the reason
    answer = client.post(url, {"reason": "Ready early"}, follow=True)
    assert "full targets count from today" in answer.content.decode()
    change = RampChange.objects.get()
    assert (change.reason, change.by) == ("Ready early", manager)
    assert "Ramp week" not in answer.content.decode()


def test_a_rep_behind_on_ramp_is_on_the_needs_attention_panel(
    client, manager, rep_in_week_two, django_assert_num_queries
):
    from targets.models import Flag, FlagKind

    today = timezone.now().astimezone(dt.UTC).date()
    Flag.objects.create(
        rep=rep_in_week_two,
        kind=FlagKind.RAMP_BEHIND,
        metric=factories.metric("calls"),
        period="week",
        period_start=today - dt.timedelta(days=8),
        period_end=today - dt.timedelta(days=2),
        target=65,
        actual=20,
        percent=30,
    )
    client.force_login(manager)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        page = client.get(reverse("targets:dashboard"))
    panel = page.content.decode()
    assert 'data-testid="flag-ramp_behind"' in panel and "Behind on ramp" in panel
    attention = client.get(reverse("targets:needs_attention")).content.decode()
    assert "Behind on ramp" in attention


def test_the_attainment_api_gives_the_ramp_and_the_ramped_targets(
    manager, rep_in_week_two
):
    from tests.helpers import api_client_for

    today = rep_in_week_two.local_date()
    response = api_client_for(manager).get(
        f"/api/v1/attainment/?user={rep_in_week_two.pk}&period=day&date={today}"
    )
    body = response.json()
    ramp = rep_in_week_two.ramp
    assert body["ramp"] == {
        "starts_on": ramp.starts_on.isoformat(),
        "full_from": ramp.curve.full_from.isoformat(),
        "steps": [{"weeks": 4, "percent": 50}, {"weeks": 4, "percent": 75}],
    }
    calls = next(m for m in body["metrics"] if m["metric"] == "calls")
    assert calls["target"] == (13 if today.isoweekday() <= 5 else None)


def test_the_manager_changes_the_ramp_from_the_results_page(
    client, manager, rep_in_week_two
):
    client.force_login(manager)
    url = reverse("targets:ramp_change", args=[rep_in_week_two.pk])

    answer = client.post(url, {"steps": "4x50, 4x100", "reason": "x"}, follow=True)
    assert "1 to 99 percent" in answer.content.decode()

    answer = client.post(
        url, {"steps": "4x50, 6x75", "reason": "Longer run-in"}, follow=True
    )
    assert "Ramp week 2 of 10" in answer.content.decode()
    assert RampChange.objects.get().reason == "Longer run-in"
    history = answer.content.decode().split('data-testid="ramp-changes"')[1]
    assert "Ramp changed (" in history and "): Longer run-in" in history


def _started(rep, manager=None):
    """The ramp's "started" record, written a day after the ramp's first day."""
    return RampChange.objects.create(
        rep=rep,
        kind="started",
        steps=[{"weeks": 4, "percent": 50}, {"weeks": 4, "percent": 75}],
        reason="From the template “Standard rep”.",
        by=manager,
        changed_at=timezone.now() - dt.timedelta(days=7),
    )


@pytest.mark.parametrize("steps", ["banana", "4x150", "0x50"])
def test_a_refused_ramp_change_keeps_the_input_beside_the_field(
    client, manager, rep_in_week_two, steps
):
    client.force_login(manager)
    url = reverse("targets:ramp_change", args=[rep_in_week_two.pk])

    answer = client.post(url, {"steps": steps, "reason": "Longer run-in"})

    assert answer.status_code == 400
    page = answer.content.decode()
    form = page.split('data-testid="ramp-change"')[1].split("</form>")[0]
    assert f'value="{steps}"' in form and 'value="Longer run-in"' in form
    assert 'is-invalid" id="ramp-change-steps"' in form or (
        'id="ramp-change-steps"' in form and "is-invalid" in form
    )
    assert "invalid-feedback" in form
    assert 'data-testid="ramp-forms" open' in page
    assert not RampChange.objects.exists()


def test_a_ramp_change_without_a_reason_says_so_beside_the_reason(
    client, manager, rep_in_week_two
):
    client.force_login(manager)
    url = reverse("targets:ramp_change", args=[rep_in_week_two.pk])

    answer = client.post(url, {"steps": "4x50, 6x75", "reason": " "})

    assert answer.status_code == 400
    form = answer.context["ramp_forms"]["change"]
    assert list(form.errors) == ["reason"]
    html = answer.content.decode().split('data-testid="ramp-change"')[1]
    assert 'value="4x50, 6x75"' in html.split("</form>")[0]


def test_ending_a_ramp_without_a_reason_says_so_beside_the_field(
    client, manager, rep_in_week_two
):
    client.force_login(manager)
    url = reverse("targets:ramp_end", args=[rep_in_week_two.pk])

    answer = client.post(url, {"reason": ""})

    assert answer.status_code == 400
    form = answer.content.decode().split('data-testid="ramp-end"')[1]
    form = form.split("</form>")[0]
    assert "is-invalid" in form and "This field is required." in form
    assert 'data-testid="ramp-forms" open' in answer.content.decode()


def test_the_ramp_history_stays_after_the_ramp_ended(
    client, manager, rep_in_week_two, django_assert_num_queries
):
    _started(rep_in_week_two, manager)
    client.force_login(manager)
    client.post(
        reverse("targets:ramp_change", args=[rep_in_week_two.pk]),
        {"steps": "4x50, 6x60", "reason": "Longer run-in"},
    )
    client.post(
        reverse("targets:ramp_end", args=[rep_in_week_two.pk]),
        {"reason": "Ready early"},
    )

    client.force_login(rep_in_week_two)
    with django_assert_num_queries(OWN_RESULTS_QUERIES + 1):
        page = client.get(reverse("targets:my_results")).content.decode()
    assert "Ramp week" not in page
    history = page.split('data-testid="ramp-changes"')[1].split("</ul>")[0]
    starts_on = rep_in_week_two.ramp.starts_on
    assert f"{starts_on:%-d %b %Y} · Ramp started" in history
    assert (
        "50 % for 4 weeks, 75 % for 4 weeks → 50 % for 4 weeks, 60 % for 6 weeks"
        ": Longer run-in"
    ) in history
    assert "Ramp ended early" in history and "Ready early" in history

    client.force_login(manager)
    rep_page = client.get(reverse("meetings:rep_history", args=[rep_in_week_two.pk]))
    history = rep_page.content.decode().split('data-testid="ramp-changes"')[1]
    assert "Ramp started" in history and "Ready early" in history
    assert "60 % for 6 weeks" in history


def test_a_long_ramp_reason_wraps(client, manager, rep_in_week_two):
    RampChange.objects.create(
        rep=rep_in_week_two,
        kind="started",
        reason="https://example.com/" + "a" * 280,
        changed_at=timezone.now(),
    )
    client.force_login(manager)
    page = client.get(reverse("targets:rep_results", args=[rep_in_week_two.pk]))
    assert '<li class="text-break" data-testid="ramp-change">' in (
        page.content.decode()
    )


def test_the_rep_is_told_the_day_their_full_targets_count_from(
    manager, rep_in_week_two
):
    from accounts.models import Notification
    from targets.ramp_services import ramp_end

    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    RepRamp.objects.filter(rep=rep_in_week_two).update(starts_on=dt.date(2026, 11, 23))
    ramp_end(rep=rep_in_week_two, by=manager, reason="Ready early", now=now)

    told = Notification.objects.get(user=rep_in_week_two, kind="ramp")
    assert told.title == "Your full targets count from 1 Dec 2026"


def test_a_ramp_started_from_a_template_reads_in_the_rep_s_language_of_today(
    client, rep_in_week_two, django_assert_num_queries
):
    # Given a ramp started from the template while the rep read English
    RampChange.objects.create(
        rep=rep_in_week_two,
        kind="started",
        reason="From the template “Standard rep”.",
        template=factories.standard_template(),
        changed_at=timezone.now(),
    )
    # When the rep has since switched to Greek
    rep_in_week_two.language = "el"
    rep_in_week_two.save(update_fields=["language"])
    client.force_login(rep_in_week_two)

    with django_assert_num_queries(OWN_RESULTS_QUERIES + 1):
        text = client.get(reverse("targets:my_results")).content.decode()

    # Then the reason is in Greek, with the template's own name
    assert "From the template" not in text
    assert "Standard rep" in text
