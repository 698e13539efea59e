"""Browser journey for day one: the admin adds a rep, the manager records the targets
the two of them agreed that morning, and the rep sees and agrees to them on Today."""

import re

import pytest
from django.core import mail

from accounts.models import User
from targets.models import Target
from tests import factories
from tests.helpers import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_day_one_the_agreed_targets_replace_the_templates_and_the_rep_agrees(page):
    admin = factories.AdminFactory(email="anna@example.com")
    manager = factories.ManagerFactory(email="mark@example.com")
    factories.TeamFactory(name="Aegean", manager=manager)
    factories.standard_template()
    today_in_athens = User(timezone="Europe/Athens").local_date()

    # The admin adds a rep who starts today; she gets the template's targets.
    browser_login(page, admin.email, factories.PASSWORD)
    page.goto("/accounts/people/add/")
    page.get_by_label("First name").fill("Eleni")
    page.get_by_label("Last name").fill("Papadopoulou")
    page.get_by_label("Email address").fill("eleni@example.com")
    page.get_by_label("Team").select_option(label="Aegean")
    page.get_by_label("Time zone").select_option("Europe/Athens")
    page.get_by_label("Start date").fill(today_in_athens.isoformat())
    page.get_by_role("button", name="Add and send invitation").click()
    page.get_by_text("an invitation is on its way to eleni@example.com").wait_for()
    eleni = User.objects.get(email="eleni@example.com")
    assert Target.objects.filter(rep=eleni, effective_from=today_in_athens).count()

    # That morning the manager sits down with her and records what they agreed.
    page.context.clear_cookies()
    browser_login(page, manager.email, factories.PASSWORD)
    page.goto(f"/targets/results/{eleni.pk}/")
    page.get_by_test_id("first-day").wait_for()
    page.get_by_test_id("set-agreed-targets").click()
    page.get_by_test_id("agree-targets-form").wait_for()
    calls = page.get_by_label("Calls per day")
    assert calls.input_value() == "25"  # the template's value, prefilled
    calls.fill("30")
    page.get_by_test_id("save-agreed-targets").click()
    page.get_by_text("Targets recorded for Eleni Papadopoulou").wait_for()
    superseded = page.get_by_test_id("superseded")
    assert "superseded the same day by" in superseded.inner_text()

    # The rep accepts her invitation and sees the agreed targets on Today.
    link = re.search(r"https?://\S+/accounts/invite/\S+/", mail.outbox[0].body).group(0)
    page.context.clear_cookies()
    page.goto("/accounts/" + link.split("/accounts/", 1)[1])
    page.locator("#id_new_password1").fill("sunny-Athens-42")
    page.get_by_label("Password again").fill("sunny-Athens-42")
    page.get_by_role("button", name="Set password and start").click()
    page.get_by_test_id("welcome").wait_for()
    page.goto("/")
    to_agree = page.get_by_test_id("targets-to-agree")
    to_agree.wait_for()
    assert "30 Calls per day" in to_agree.inner_text()
    assert "25 Calls per day" not in to_agree.inner_text()

    # She agrees to each one; the panel empties and nothing is left to agree.
    for slug in ("calls", "appointments", "thank_you_notes", "revenue"):
        page.get_by_test_id(f"agree-{slug}").click()
        page.get_by_test_id(f"agree-{slug}").wait_for(state="detached")
    to_agree.wait_for(state="detached")
    assert not Target.objects.filter(
        rep=eleni, effective_until__isnull=True, agreed_at__isnull=True
    ).exists()
    # And Today counts against the agreed 30 calls (a daily target: on work days).
    eleni.refresh_from_db()
    if today_in_athens.isoweekday() in eleni.work_days:
        calls_bar = page.get_by_test_id("progress-day-calls")
        assert "0 / 30" in calls_bar.get_by_test_id("count").inner_text()
    assert page.get_by_test_id("status-legend").is_visible()
