"""Browser journey: the manager reads a flagged rep's diagnosis, adjusts the plan it
prefilled, and the rep reads and acknowledges it.

Screenshots go to /tmp/shots (laptop and phone sizes) when SHOTS_DIR allows it.
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from activities.periods import MONTH, period_bounds
from coaching.models import PlanGoal
from coaching.services.plans import plans_open_for_flags
from targets.models import Flag
from tests import factories
from tests.coaching.diagnosis_data import log_funnel, monthly_quota
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"a3-{name}.png"), full_page=True)


def last_month(rep) -> tuple[dt.date, dt.date]:
    today = rep.local_date(timezone.now())
    return period_bounds(period=MONTH, on=today.replace(day=1) - dt.timedelta(days=1))


@pytest.fixture
def flagged_team():
    """Mark's team: Eleni connects on 14 % against the team's 31 % and closed last
    month at 40 % of quota; the review flagged her and opened her plan."""
    mark = factories.ManagerFactory(first_name="Mark", last_name="Stone")
    team = factories.TeamFactory(name="Athens", manager=mark)
    eleni = factories.RepFactory(team=team, first_name="Eleni", last_name="Pappa")
    start, end = last_month(eleni)
    day = start + dt.timedelta(days=9)
    log_funnel(
        eleni, day, calls=500, connected=70, appointments=14, deals=4, deal_amount=2000
    )
    monthly_quota(eleni, 20000)
    for name in ("Nikos", "Sofia", "Dimitra"):
        rep = factories.RepFactory(team=team, first_name=name, last_name="Rep")
        log_funnel(
            rep,
            day,
            calls=500,
            connected=155,
            appointments=31,
            deals=8,
            deal_amount=2000,
        )
        monthly_quota(rep, 20000)
    flag = Flag.objects.create(
        rep=eleni,
        kind="below_quota",
        metric=factories.metric("revenue"),
        period="month",
        period_start=start,
        period_end=end,
        target=20000,
        actual=8000,
        percent=40,
    )
    (plan,) = plans_open_for_flags(rep_ids=[eleni.pk], now=timezone.now())
    assert plan.flag_id == flag.pk
    return mark, eleni, plan


def test_manager_reads_the_diagnosis_adjusts_the_plan_and_the_rep_acknowledges(
    page, flagged_team
):
    mark, eleni, plan = flagged_team
    calls_goal = plan.goals.get(metric__slug="calls")
    assert plan.goals.filter(stage="connect").exists(), "the constraint's rate goal"
    page.set_viewport_size(LAPTOP)

    # 1. The manager opens the flagged rep from "Needs attention".
    browser_login(page, mark.email, factories.PASSWORD)
    page.goto("/targets/attention/")
    flag_row = page.get_by_test_id("flag-below_quota").filter(
        has_text=re.compile(r"\bEleni\b")
    )
    flag_row.get_by_role("link", name="Results").click()
    page.wait_for_url(f"**/targets/results/{eleni.pk}/")

    # 2. He reads the diagnosis: connecting is the constraint, with the back-solve.
    panel = page.get_by_test_id("diagnosis-panel")
    panel.wait_for()
    sentence = panel.get_by_test_id("diagnosis-sentence").inner_text()
    assert "Eleni makes as many calls as the team, but connects on 14 %" in sentence
    assert (
        panel.get_by_test_id("stage-connect")
        .get_by_test_id("constraint-badge")
        .is_visible()
    )
    assert (
        "at Eleni's rates needs"
        in panel.get_by_test_id("diagnosis-required").inner_text()
    )
    shot(page, "1-drill-down-laptop")

    # The team funnel shows her row with the constraint marked.
    page.goto("/coaching/funnel/")
    row = page.get_by_test_id(f"funnel-row-{eleni.pk}")
    assert row.get_by_test_id("constraint-cell").inner_text().strip() == "14 %"
    shot(page, "2-funnel-laptop")
    page.set_viewport_size(PHONE)
    shot(page, "3-funnel-phone")
    page.set_viewport_size(LAPTOP)

    # 3. He opens the prefilled plan from the panel and adjusts the calls goal.
    page.goto(f"/targets/results/{eleni.pk}/")
    page.get_by_test_id("diagnosis-open-plan").click()
    page.get_by_test_id("plan-title").wait_for()
    assert "Proposed by the diagnosis" in page.get_by_test_id("goals-from").inner_text()
    assert page.get_by_test_id("goal-form-connect").is_visible()
    assert page.get_by_test_id("plan-assumptions").is_visible()
    shot(page, "4-plan-manager-laptop")
    page.set_viewport_size(PHONE)
    shot(page, "4b-plan-manager-phone")
    page.set_viewport_size(LAPTOP)
    new_calls = int(calls_goal.amount) - 2
    form = page.get_by_test_id("goal-form-calls")
    form.get_by_role("spinbutton").fill(str(new_calls))
    form.get_by_role("button", name="Save").click()
    page.get_by_text("Calls goal saved; Eleni Pappa will be asked to agree.").wait_for()
    calls_goal.refresh_from_db()
    assert calls_goal.amount == new_calls

    # 4. The rep sees her own diagnosis and the plan, and acknowledges it (on a phone).
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    browser_login(page, eleni.email, factories.PASSWORD)
    page.goto("/targets/results/")
    own = page.get_by_test_id("diagnosis-panel")
    own.wait_for()
    assert "You make as many calls as the team" in own.inner_text()
    assert "Nikos" not in own.inner_text()
    shot(page, "5-my-results-phone")
    own.screenshot(path=str(SHOTS / "a3-5b-my-diagnosis-phone.png"))
    own.get_by_test_id("diagnosis-open-plan").click()
    page.get_by_test_id("plan-title").wait_for()
    assert f"Calls: {new_calls} a day" in page.get_by_test_id("goal-calls").inner_text()
    page.get_by_role("button", name="I have read and agree to this plan").click()
    page.get_by_text("You acknowledged this plan.").wait_for()
    shot(page, "6-plan-rep-phone")
    plan.refresh_from_db()
    assert plan.acknowledged_at is not None
    assert PlanGoal.objects.filter(plan=plan, stage="connect").count() == 1
