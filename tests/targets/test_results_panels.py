"""targets/results_panels.py: higher layers add panels to the results page by URL name."""

import pytest
from django.urls import reverse

from targets import results_panels
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_panel_registers_once_and_is_reversed_for_the_rep(monkeypatch):
    monkeypatch.setattr(results_panels, "_url_names", [])
    rep = factories.RepFactory()

    results_panels.results_panel_register("diagnosis:panel")
    results_panels.results_panel_register("diagnosis:panel")

    assert results_panels.results_panel_urls(rep) == [
        reverse("diagnosis:panel", kwargs={"pk": rep.pk})
    ]


def test_coaching_registers_the_diagnosis_panel():
    assert "diagnosis:panel" in results_panels._url_names
