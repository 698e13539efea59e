"""The diagnosis on fixed data sets with known answers (coaching.diagnosis)."""

import datetime as dt
from fractions import Fraction

import pytest
from django.utils import translation

from coaching.diagnosis import diagnose
from tests import factories
from tests.coaching.diagnosis_data import log_funnel, monthly_quota

pytestmark = pytest.mark.django_db

# The window: 3 Aug to 31 Oct 2026 (90 days); November 2026 has 21 work days (Mon–Fri).
ON = dt.date(2026, 11, 1)
IN_WINDOW = dt.date(2026, 10, 15)


def test_the_issues_example_needs_1000_calls_and_48_a_work_day():
    # Given a rep with 500 calls, 100 connected, 20 appointments and 5 deals of €2,000
    # in the window, and a quota of €20,000 for November (21 work days)
    rep = factories.RepFactory(first_name="Eleni")
    log_funnel(
        rep,
        IN_WINDOW,
        calls=500,
        connected=100,
        appointments=20,
        deals=5,
        deal_amount=2000,
    )
    monthly_quota(rep, 20000)
    # When she is diagnosed
    diagnosis = diagnose(rep, on=ON)
    # Then at her rates: 10 deals, 40 appointments, 200 connected, 1,000 calls, 48 a day
    required = diagnosis.required
    assert required.work_days == 21
    assert required.period == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert (required.deals, required.appointments, required.connected) == (10, 40, 200)
    assert (required.calls, required.calls_per_work_day) == (1000, 48)
    assert diagnosis.stage("connect").rate == Fraction(1, 5)
    with translation.override("en"):
        assert "€20,000 at Eleni's rates needs 1,000 calls (48 a work day)." in (
            diagnosis.sentence()
        )
