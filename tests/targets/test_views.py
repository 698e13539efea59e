"""The rep's Today page (home), quick logging with and without htmx, undo, "I agree"."""

import datetime as dt
import re
import time
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, DayTally
from activities.services import activity_log
from targets.models import Target
from targets.services import target_set, targets_apply_template
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rep_with_targets(rep):
    targets = targets_apply_template(
        rep=rep,
        template=factories.standard_template(),
        by=None,
        effective_from=dt.date(2025, 1, 1),
    )
    Target.objects.filter(pk__in=[t.pk for t in targets]).update(
        agreed_at=timezone.now()
    )
    return rep


@pytest.fixture
def rep_client(client, rep_with_targets):
    client.force_login(rep_with_targets)
    return client


def calls_today(rep) -> int:
    row = DayTally.objects.filter(
        rep=rep, metric__slug="calls", local_date=rep.local_date()
    ).first()
    return row.quantity if row else 0


def test_today_shows_progress_bars_for_today_week_and_month(
    rep_client, rep_with_targets
):
    # Every day a work day: today has its daily targets whatever day it is where the
    # rep lives (on a Friday evening in UTC it is already Saturday in Athens).
    rep_with_targets.work_days = [1, 2, 3, 4, 5, 6, 7]
    rep_with_targets.save(update_fields=["work_days"])
    activity_log(rep=rep_with_targets, metric="calls", quantity=18)
    response = rep_client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    today = response.context["today"]
    day_card = today.cards[0]
    assert [item.metric for item in day_card.items] == ["calls", "thank_you_notes"]
    assert day_card.items[0].actual == 18 and day_card.items[0].target == 25
    assert "18 / 25" in page
    assert 'data-testid="progress-week-appointments"' in page
    assert 'data-testid="progress-month-revenue"' in page
    assert 'data-testid="log-call"' in page and 'd-md-inline">c</kbd>' in page


def test_managers_keep_the_simple_home_page(client, manager):
    client.force_login(manager)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "today" not in response.context


def test_quick_log_without_javascript_logs_and_redirects_to_today(
    rep_client, rep_with_targets
):
    response = rep_client.post(
        reverse("activities:quick_log"), {"metric": "calls", "outcome": "voicemail"}
    )
    assert response.status_code == 302 and response.url == reverse("home")
    activity = Activity.objects.get()
    assert (activity.outcome, activity.source, activity.created_by) == (
        "voicemail",
        "web",
        rep_with_targets,
    )
    assert calls_today(rep_with_targets) == 1
    assert "Logged 1 × Calls." in rep_client.get(reverse("home")).content.decode()


def test_quick_log_with_htmx_answers_with_feedback_and_an_event(
    rep_client, rep_with_targets
):
    response = rep_client.post(
        reverse("activities:quick_log"), {"metric": "appointments"}, **HTMX
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == '{"activityChanged": {}}'
    assert "Logged 1 × Appointments." in response.content.decode()
    panel = rep_client.get(reverse("targets:today_panel"), **HTMX)
    assert "1 / 5" in panel.content.decode()


def test_quick_log_shows_the_rule_broken_and_writes_nothing(rep_client):
    future = (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = rep_client.post(
        reverse("activities:quick_log"),
        {"metric": "calls", "quantity": "600", "occurred_at": future},
        **HTMX,
    )
    text = response.content.decode()
    assert "The quantity must be between 1 and 500." in text
    assert "in the future" in text
    assert "HX-Trigger" not in response
    assert not Activity.objects.exists()


def test_details_form_reads_the_time_in_the_reps_zone(rep_client, rep_with_targets):
    # Athens: 10:15 local is 08:15 UTC in winter, 07:15 in summer
    local_now = rep_with_targets.local_now()
    earlier = (local_now - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    rep_client.post(
        reverse("activities:quick_log"),
        {
            "metric": "emails",
            "quantity": "3",
            "occurred_at": earlier.strftime("%Y-%m-%dT%H:%M"),
            "note": "Follow-ups",
        },
    )
    activity = Activity.objects.get()
    assert activity.occurred_at == earlier
    assert (activity.quantity, activity.note) == (3, "Follow-ups")


def test_undo_removes_the_entry_and_its_count(rep_client, rep_with_targets):
    activity = activity_log(rep=rep_with_targets, metric="calls", by=rep_with_targets)
    response = rep_client.post(reverse("activities:delete", args=[activity.pk]), **HTMX)
    assert response["HX-Trigger"] == '{"activityChanged": {}}'
    assert not Activity.objects.exists()
    assert calls_today(rep_with_targets) == 0


def test_undo_of_another_teams_entry_is_404(client, rep_with_targets):
    activity = activity_log(rep=rep_with_targets, metric="calls")
    client.force_login(factories.RepFactory())
    response = client.post(reverse("activities:delete", args=[activity.pk]))
    assert response.status_code == 404
    assert Activity.objects.exists()


def test_the_rep_agrees_to_a_new_target_from_today(
    rep_client, rep_with_targets, manager
):
    target = target_set(
        rep=rep_with_targets,
        metric=factories.metric("emails"),
        period="day",
        amount=15,
        effective_from=rep_with_targets.local_date(),
        by=manager,
    )
    page = rep_client.get(reverse("home")).content.decode()
    assert 'data-testid="agree-emails"' in page
    response = rep_client.post(
        reverse("targets:agree", args=[target.pk]), {"next": "home"}
    )
    assert response.url == reverse("home")
    target.refresh_from_db()
    assert target.agreed_at is not None
    assert (
        'data-testid="agree-emails"'
        not in rep_client.get(reverse("home")).content.decode()
    )


def test_a_manager_sees_who_has_not_agreed(client, rep_with_targets, manager):
    target_set(
        rep=rep_with_targets,
        metric=factories.metric("emails"),
        period="day",
        amount=15,
        effective_from=rep_with_targets.local_date(),
        by=manager,
    )
    client.force_login(manager)
    response = client.get(reverse("targets:list"))
    awaiting = response.context["awaiting"]
    assert [(t.rep, t.metric.slug) for t in awaiting] == [(rep_with_targets, "emails")]
    assert "Not yet agreed" in response.content.decode()


def test_a_manager_cannot_agree_for_the_rep(client, rep_with_targets, manager):
    target = Target.objects.filter(rep=rep_with_targets).first()
    Target.objects.filter(pk=target.pk).update(agreed_at=None)
    client.force_login(manager)
    assert client.post(reverse("targets:agree", args=[target.pk])).status_code == 403


def history(rep, days):
    """A call on each of the last `days` local days (older ones straight into the tables).

    Counted in local days: around a DST change, 24-hour steps back from now can land
    twice on one local date.
    """
    now = timezone.now()
    calls = factories.metric("calls")
    today = rep.local_date(now)
    for offset in range(days):
        day = today - dt.timedelta(days=offset)
        moment = now if offset == 0 else dt.datetime.combine(day, dt.time(12), rep.zone)
        if offset <= 7:
            activity_log(rep=rep, metric=calls, occurred_at=moment, now=now)
            continue
        Activity.objects.create(
            rep=rep, metric=calls, occurred_at=moment, local_date=day
        )
        DayTally.objects.create(rep=rep, metric=calls, local_date=day, quantity=1)


@pytest.mark.parametrize("days", [0, 60])
def test_today_page_query_count_does_not_grow_with_history(
    rep_client, rep_with_targets, django_assert_num_queries, days
):
    history(rep_with_targets, days)
    # session, user, metrics, targets, tallies, current targets, entries, kudos,
    # open action items, open improvement plan, upcoming meetings, and the
    # unread-notifications badge
    with django_assert_num_queries(12):
        response = rep_client.get(reverse("home"))
    assert response.status_code == 200


def test_quick_log_is_fast(rep_client, rep_with_targets):
    rep_client.post(reverse("activities:quick_log"), {"metric": "calls"}, **HTMX)
    started = time.perf_counter()
    for _ in range(20):
        rep_client.post(reverse("activities:quick_log"), {"metric": "calls"}, **HTMX)
    per_call = (time.perf_counter() - started) / 20
    assert per_call < 0.2, f"{per_call * 1000:.0f} ms per quick log"
    assert calls_today(rep_with_targets) == 21


def test_undo_of_a_closed_weeks_entry_is_refused_for_the_rep_but_not_the_manager(
    client, rep_with_targets, manager
):
    then = timezone.now() - dt.timedelta(days=7)
    activity = activity_log(
        rep=rep_with_targets, metric="calls", occurred_at=then, now=then
    )
    client.force_login(rep_with_targets)
    response = client.post(
        reverse("activities:delete", args=[activity.pk]), follow=True
    )
    assert "ask your manager to correct it" in response.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    client.force_login(manager)
    client.post(reverse("activities:delete", args=[activity.pk]))
    assert not Activity.objects.filter(pk=activity.pk).exists()


@pytest.fixture
def new_rep(rep):
    """A rep onboarded this morning: the template's targets from today."""
    targets_apply_template(
        rep=rep,
        template=factories.standard_template(),
        by=None,
        effective_from=rep.local_date(),
    )
    return rep


def test_the_managers_agree_form_offers_the_templates_values_on_day_one(
    client, new_rep, manager
):
    # Given a rep whose template targets took effect today
    client.force_login(manager)
    # When the manager opens the rep's page and follows "set the targets you agreed"
    results = client.get(reverse("targets:rep_results", args=[new_rep.pk]))
    assert 'data-testid="first-day"' in results.content.decode()
    url = reverse("targets:agree_targets", args=[new_rep.pk])
    assert url in results.content.decode()
    page = client.get(url)
    # Then the form starts today with the template's values
    form = page.context["form"]
    assert page.status_code == 200 and page.context["day_one"]
    assert form["effective_from"].initial == new_rep.local_date()
    assert {
        name: form[name].initial for name in form.fields if name.startswith("amount_")
    } == {
        "amount_calls": "25",
        "amount_appointments": "5",
        "amount_thank_you_notes": "10",
        "amount_revenue": "20000",
    }


def test_the_manager_records_the_agreed_targets_and_the_rep_sees_them(
    client, new_rep, manager
):
    client.force_login(manager)
    url = reverse("targets:agree_targets", args=[new_rep.pk])
    today = new_rep.local_date()
    # When the manager saves 30 calls a day and 24,000 a month, from today
    response = client.post(
        url,
        {
            "effective_from": today.isoformat(),
            "amount_calls": "30",
            "amount_appointments": "5",
            "amount_thank_you_notes": "10",
            "amount_revenue": "24000",
        },
    )
    # Then the two changed targets replace the template's, which are kept superseded
    assert response.status_code == 302
    current = Target.objects.filter(rep=new_rep, effective_until__isnull=True)
    assert {t.metric.slug: t.amount for t in current} == {
        "calls": 30,
        "appointments": 5,
        "thank_you_notes": 10,
        "revenue": 24000,
    }
    superseded = Target.objects.filter(rep=new_rep, superseded_by=manager)
    assert sorted(t.metric.slug for t in superseded) == ["calls", "revenue"]
    # And the rep is asked to agree to the new ones on Today
    client.force_login(new_rep)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="agree-calls"' in page
    assert "30 Calls per day" in page


def test_a_bad_agreed_amount_is_named_and_nothing_is_written(client, new_rep, manager):
    client.force_login(manager)
    response = client.post(
        reverse("targets:agree_targets", args=[new_rep.pk]),
        {
            "effective_from": new_rep.local_date().isoformat(),
            "amount_calls": "30",
            "amount_revenue": "0",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "amount_revenue": ["A target must be more than zero."]
    }
    assert not Target.objects.filter(rep=new_rep, superseded_at__isnull=False).exists()


def test_a_rep_may_not_open_the_agree_form(client, new_rep):
    client.force_login(new_rep)
    response = client.get(reverse("targets:agree_targets", args=[new_rep.pk]))
    assert response.status_code == 403


def test_today_says_what_behind_means(rep_client):
    page = rep_client.get(reverse("home")).content.decode()
    assert 'data-testid="status-legend"' in page
    assert "On the first morning of a period nobody is behind." in page


def _count_text(page: str, testid: str) -> str:
    block = page.split(f'data-testid="{testid}"', 1)[1]
    return re.search(r'data-testid="count">([^<]*)<', block).group(1)


def test_today_shows_money_like_the_dashboard_with_the_currency_in_the_label(
    rep_client, rep_with_targets
):
    # Given a rep with a monthly revenue target of 20,000 and nothing won yet
    # When she opens Today
    page = rep_client.get(reverse("home")).content.decode()
    # Then the count reads like the dashboard's cell, the currency said once by the label
    assert _count_text(page, "progress-month-revenue") == "0 / 20,000"
    block = page.split('data-testid="progress-month-revenue"', 1)[1]
    assert "(EUR)" in block.split('data-testid="count"', 1)[0]


def test_the_status_legend_on_today_is_coloured_like_the_bars(rep_client):
    # Given a rep on her Today page
    page = rep_client.get(reverse("home")).content.decode()
    # Then each badge of the colour key has a colour of its own
    legend = re.search(r'data-testid="status-legend".*?</p>', page, re.S).group(0)
    for status, colour in (
        ("met", "success"),
        ("on_pace", "warning"),
        ("behind", "danger"),
    ):
        assert re.search(
            rf'class="[^"]*\bstatus-{status}\b[^"]*\bbg-{colour}-subtle\b', legend
        ), status


def test_a_behind_item_at_zero_is_still_visibly_red(rf, rep):
    # Given a rep behind on calls with none logged (a bar of zero width)
    item = SimpleNamespace(
        metric="calls",
        label="Calls",
        unit="count",
        actual=0,
        target=25,
        bar_percent=0,
        status="behind",
    )
    card = SimpleNamespace(period="day", title="Today", items=[item])
    today = SimpleNamespace(to_acknowledge=[], cards=[card], entries=[])
    # When the Today panel is drawn
    html = render_to_string("targets/_today_panel.html", {"today": today, "user": rep})
    # Then the red bar keeps a visible minimum width and the status is said in words
    bar = re.search(r'<div class="progress-bar[^>]*>', html).group(0)
    assert "bg-danger" in bar and "min-width" in bar
    block = html.split('data-testid="progress-day-calls"', 1)[1]
    assert 'data-testid="status-badge"' in block and ">behind<" in block


def test_today_lists_the_reps_upcoming_meetings_with_local_time_and_join_link(
    rep_client, rep_with_targets
):
    # Given a goal-setting meeting with her manager later today, and another rep's
    starts_at = (timezone.now() + dt.timedelta(hours=2)).replace(
        second=0, microsecond=0
    )
    mine = factories.MeetingFactory(
        rep=rep_with_targets, title="Goal setting", starts_at=starts_at
    )
    factories.MeetingFactory(title="Someone else's")
    # When she opens Today
    page = rep_client.get(reverse("home")).content.decode()
    # Then the panel shows hers: title, her local time and a Join link
    panel = page.split('data-testid="today-meetings"', 1)[1].split("</section>", 1)[0]
    assert "Goal setting" in panel and "Someone else" not in panel
    local = timezone.localtime(starts_at, rep_with_targets.zone)
    assert local.strftime("%H:%M") in panel
    assert f'href="{mine.video_url}"' in panel
    assert reverse("meetings:detail", args=[mine.pk]) in panel


def test_a_cancelled_meeting_on_today_says_so_and_offers_no_join_link(
    rep_client, rep_with_targets
):
    # Given her next one-on-one was cancelled
    meeting = factories.MeetingFactory(
        rep=rep_with_targets, title="Weekly one-on-one", status="cancelled"
    )
    # When she opens Today
    page = rep_client.get(reverse("home")).content.decode()
    # Then the panel marks it cancelled and has no Join link for it
    panel = page.split('data-testid="today-meetings"', 1)[1].split("</section>", 1)[0]
    assert "Weekly one-on-one" in panel and "Cancelled" in panel
    assert meeting.video_url not in panel
