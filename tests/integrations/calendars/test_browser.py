"""Browser: a rep connects her Radicale calendar from her page and sees it in step."""

import pytest

from integrations.models import CalendarConnection, ConnectionStatus
from tests import factories
from tests.helpers import browser_login
from tests.integrations.calendars.radicale import USERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_tests_chooses_and_connects_her_calendar(page, radicale):
    calendar_url = radicale.new_calendar()
    manager = factories.ManagerFactory()
    eleni = factories.RepFactory(team=factories.TeamFactory(manager=manager))
    browser_login(page, eleni.email, factories.PASSWORD)

    page.goto("/integrations/calendar/")
    assert page.get_by_test_id("calendar-empty").is_visible()
    page.get_by_label("Server address").fill(radicale.url)
    page.get_by_label("User name").fill("eleni")
    page.get_by_label("Password or app password").fill(USERS["eleni"])
    page.get_by_role("button", name="Test connection").click()

    page.get_by_test_id("calendar-tested").wait_for()
    page.get_by_label("Calendar").select_option(calendar_url)
    page.get_by_role("button", name="Save and connect").click()

    page.get_by_test_id("calendar-status").wait_for()
    assert page.get_by_test_id("calendar-state").inner_text() == "In step"
    connection = CalendarConnection.objects.get(person=eleni)
    assert connection.calendar_url == calendar_url
    assert connection.status == ConnectionStatus.OK
