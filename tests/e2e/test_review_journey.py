"""Browser journey: after the review, the manager acts on a flag and the rep sees the plan."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from coaching.models import ImprovementPlan
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_sees_the_flag_opens_the_booked_one_on_one_and_the_rep_sees_the_plan(
    page,
):
    call_command("seed_demo", verbosity=0)  # seeds history and runs the review
    call_command("run_review", verbosity=0)
    plan = (
        ImprovementPlan.objects.filter(
            rep__team__manager__email="mark@example.com", meeting__isnull=False
        )
        .select_related("rep", "meeting")
        .first()
    )
    assert plan is not None, "the demo review should open a plan in Mark's team"

    # The manager's home (the dashboard) shows the flag under "Needs attention".
    browser_login(page, "mark@example.com", DEMO_PASSWORD)
    attention = page.get_by_test_id("needs-attention")
    attention.wait_for()
    assert attention.get_by_test_id("flag-below_quota").count() >= 1

    # He opens the plan and the booked one-on-one with its agenda pre-filled.
    page.goto(f"/meetings/plans/{plan.pk}/")
    page.get_by_test_id("plan-meeting").get_by_role("link").click()
    page.wait_for_url(f"**/meetings/{plan.meeting.pk}/")
    body = page.locator("main").inner_text()
    assert "Results for" in body and "Agree the activity goals" in body

    # The rep sees the plan on their home page, and the meeting in it.
    page.context.clear_cookies()
    browser_login(page, plan.rep.email, DEMO_PASSWORD)
    page.get_by_test_id("today-plan").wait_for()
    page.get_by_role("link", name="Open the plan").click()
    page.get_by_test_id("plan-title").wait_for()
    assert plan.meeting.title in page.get_by_test_id("plan-meeting").inner_text()
    page.get_by_role("button", name="I have read and agree to this plan").click()
    page.get_by_text("You acknowledged this plan.").wait_for()
