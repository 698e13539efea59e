"""Browser journey: a manager opens "Time with reps", picks last month and reads that most of
the one-on-one minutes went to reps on quota while the rep below it got none.

Screenshots go to /tmp/shots (laptop and phone sizes) when SHOTS_DIR allows it.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from activities.periods import MONTH, period_bounds
from tests import factories
from tests.helpers import browser_login
from tests.scenarios import rep_with_quota, sell

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
ATHENS = "Europe/Athens"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"ledger-{name}.png"), full_page=True)


def at_noon(rep, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=rep.zone)


@pytest.fixture
def upside_down_team():
    """Mark's team last month: an hour each with Sofia and Nikos, on quota, near the
    month's end; Eleni closed at 30 % and was last met on the 2nd."""
    mark = factories.ManagerFactory(first_name="Mark", last_name="Stone")
    team = factories.TeamFactory(name="Athens", manager=mark)
    today = timezone.now().astimezone(dt.UTC).date()
    start, end = period_bounds(
        period=MONTH, on=today.replace(day=1) - dt.timedelta(days=1)
    )
    for name in ("Sofia", "Nikos"):
        rep = rep_with_quota(team, ATHENS, first_name=name, last_name="Rep")
        sell(rep, 12000, at_noon(rep, start + dt.timedelta(days=5)))
        factories.MeetingFactory(
            rep=rep,
            starts_at=at_noon(rep, end - dt.timedelta(days=3)),
            duration_minutes=60,
        )
    eleni = rep_with_quota(team, ATHENS, first_name="Eleni", last_name="Pappa")
    sell(eleni, 3000, at_noon(eleni, start + dt.timedelta(days=5)))
    factories.MeetingFactory(
        rep=eleni,
        starts_at=at_noon(eleni, start + dt.timedelta(days=1)),
        duration_minutes=30,
    )
    return mark, eleni, start


def test_a_manager_sees_the_upside_down_warning_naming_the_rep_below_quota(
    page, upside_down_team
):
    mark, eleni, month = upside_down_team
    page.set_viewport_size(LAPTOP)
    browser_login(page, mark.email, factories.PASSWORD)

    # He opens the page from the Team menu and picks last month.
    page.goto("/")
    page.get_by_role("button", name="Team", exact=True).click()
    page.get_by_role("link", name="Time with reps").click()
    page.get_by_test_id("attention-title").wait_for()
    page.get_by_label("Month").fill(month.strftime("%Y-%m"))
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"**month={month:%Y-%m}*")

    # The warning names Eleni; her row shows her results and the old one-on-one.
    warning = page.get_by_test_id("attention-upside-down").inner_text()
    assert "Attention is upside down" in warning
    assert "80% of the month's one-on-one minutes went to reps on quota" in warning
    assert "Eleni Pappa" in warning and "Sofia" not in warning
    row = page.get_by_test_id(f"attention-row-{eleni.pk}").inner_text()
    assert "30%" in row and "Below quota" in row
    assert page.get_by_test_id("attention-total-minutes").inner_text() == "150"
    shot(page, "1-laptop")

    # On a phone the table scrolls sideways and the rep's name stays in view.
    page.set_viewport_size(PHONE)
    name_cell = page.get_by_test_id(f"attention-row-{eleni.pk}").locator("th")
    assert name_cell.is_visible()
    shot(page, "2-phone")

    # The warning's button books a one-on-one with her.
    page.set_viewport_size(LAPTOP)
    page.get_by_test_id(f"attention-book-{eleni.pk}").click()
    page.wait_for_url(f"**/meetings/schedule/?rep={eleni.pk}")

    # A rep is told no.
    page.context.clear_cookies()
    browser_login(page, eleni.email, factories.PASSWORD)
    response = page.goto("/coaching/attention/")
    assert response.status == 403
