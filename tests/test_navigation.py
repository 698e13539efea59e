"""salesteam/context_processors.py: one navigation item is active, the page's own."""

import pytest
from django.test import RequestFactory

from salesteam.context_processors import navigation
from salesteam.navigation import navigation_for
from tests import factories

pytestmark = pytest.mark.django_db


def active_labels(user, path: str) -> list[str]:
    request = RequestFactory().get(path)
    request.user = user
    links = []
    for entry in navigation(request)["nav_items"]:
        links += entry.get("links", [entry])
    return [str(link["label"]) for link in links if link["active"]]


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/", "Dashboard"),
        ("/targets/dashboard/", "Dashboard"),
        ("/targets/", "Targets"),
        ("/meetings/plans/7/", "Improvement plans"),
        ("/meetings/7/", "My meetings"),
        ("/coaching/funnel/", "Funnel"),
    ],
)
def test_a_managers_page_lights_up_its_own_item_only(path, label):
    assert active_labels(factories.ManagerFactory(), path) == [label]


def test_a_reps_results_page_is_my_results_not_targets():
    assert active_labels(factories.RepFactory(), "/targets/results/") == ["My results"]


def test_the_funnel_is_for_managers_and_admins_only():
    labels = [str(item.label) for item in navigation_for(factories.RepFactory())]
    assert "Funnel" not in labels
    assert "Funnel" in [
        str(item.label) for item in navigation_for(factories.AdminFactory())
    ]
