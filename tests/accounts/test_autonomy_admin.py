"""The Django admin moves no rep's autonomy level: that goes through
`meetings.autonomy.autonomy_set`, which keeps the reason on the rep's history."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import AutonomyLevel, User
from meetings.autonomy import autonomy_set
from meetings.models import AutonomyChange
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return factories.AdminFactory()


def test_the_level_is_read_only_and_says_where_to_change_it(client, superuser, rep):
    client.force_login(superuser)

    page = client.get(reverse("admin:accounts_user_change", args=[rep.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="autonomy_level"' not in html
    assert "Change it from the rep's check-ins page or the API" in html
    assert '<div class="readonly">New</div>' in html


def test_reverting_to_an_old_version_keeps_the_level_as_it_stands(superuser, rep):
    autonomy_set(rep=rep, to_level="ramping", reason="Good first month")
    old_version = rep.history.order_by("history_date").first().instance
    assert old_version.autonomy_level == AutonomyLevel.NEW
    request = RequestFactory().post("/")
    request.user = superuser

    old_version.title = "Senior rep"
    site.get_model_admin(User).save_model(request, old_version, None, change=True)

    rep.refresh_from_db()
    assert rep.title == "Senior rep"
    assert rep.autonomy_level == AutonomyLevel.RAMPING


def test_the_autonomy_history_cannot_be_added_to_or_edited_in_the_admin(
    client, superuser, rep
):
    change = autonomy_set(rep=rep, to_level="ramping", reason="Good first month")
    client.force_login(superuser)

    added = client.post(
        reverse("admin:meetings_autonomychange_add"),
        {"rep": rep.pk, "to_level": "autonomous", "reason": "x", "changed_at": ""},
    )
    edited = client.post(
        reverse("admin:meetings_autonomychange_change", args=[change.pk]),
        {"rep": rep.pk, "to_level": "autonomous", "reason": "Rewritten"},
    )

    assert added.status_code == edited.status_code == 403
    change.refresh_from_db()
    assert change.reason == "Good first month"
    assert AutonomyChange.objects.count() == 1
