"""Browser journey: a new rep in ramp week 2 sees where they stand, and their targets."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from tests import factories
from tests.helpers import browser_login
from tests.scenarios import rep_on_ramp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_rep_in_ramp_week_two_sees_the_ramp_and_so_does_their_manager(page):
    # Given a rep who started 8 days ago on the standard ramp (50 % for four weeks, then
    # 75 %), working every day so today has a calls target
    factories.standard_template()
    started = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=8)
    rep = rep_on_ramp(
        factories.TeamFactory(),
        "UTC",
        starts_on=started,
        calls=("day", 25),
        revenue=("month", 20000),
    )
    User.objects.filter(pk=rep.pk).update(work_days=[1, 2, 3, 4, 5, 6, 7])

    # When they sign in, Today says where they are on the ramp, with half the calls
    browser_login(page, rep.email, factories.PASSWORD)
    ramp = page.get_by_test_id("ramp-status")
    expect(ramp).to_contain_text("Ramp week 2 of 8")
    expect(page.get_by_test_id("progress-day-calls")).to_contain_text("0 / 13")

    # And their results page shows the same, with the day full targets begin
    page.goto("/targets/results/")
    expect(ramp).to_contain_text("Ramp week 2 of 8")
    expect(ramp).to_contain_text("Targets at 50% of the full ones")
    full_from = started + dt.timedelta(weeks=8)
    expect(ramp).to_contain_text(f"Full targets from {full_from:%-d %b %Y}")

    # And their manager sees the ramp week beside the rep's name on the dashboard
    page.context.clear_cookies()
    browser_login(page, rep.team.manager.email, factories.PASSWORD)
    expect(page.get_by_test_id("badge-ramp")).to_have_text("Ramp week 2 of 8")
