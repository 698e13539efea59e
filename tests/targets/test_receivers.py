"""targets/receivers.py: onboarding gives new reps the standard targets to agree to."""

import datetime as dt

from accounts.services import rep_onboard
from targets.models import Target
from targets.services import targets_apply_template_to_new_reps
from tests import factories


def test_an_onboarded_rep_gets_the_standard_targets_waiting_for_agreement(
    admin_user, team
):
    # When an admin adds a rep who starts next month
    start = dt.date.today() + dt.timedelta(days=30)
    rep = rep_onboard(
        by=admin_user,
        email="new.rep@example.com",
        first_name="Nia",
        last_name="New",
        team=team,
        timezone="Europe/Athens",
        start_date=start,
    )
    # Then the four Standard rep targets start on the start date, not yet agreed
    targets = Target.objects.filter(rep=rep).select_related("metric")
    assert sorted((t.metric.slug, t.period, int(t.amount)) for t in targets) == [
        ("appointments", "week", 5),
        ("calls", "day", 25),
        ("revenue", "month", 20000),
        ("thank_you_notes", "day", 10),
    ]
    assert {(t.effective_from, t.agreed_at, t.set_by) for t in targets} == {
        (start, None, admin_user)
    }


def test_reps_who_already_have_targets_and_non_reps_are_left_alone(rep, manager):
    factories.TargetFactory(rep=rep)
    created = targets_apply_template_to_new_reps(
        reps=[rep, manager], template=factories.standard_template(), by=None
    )
    assert created == 0
    assert Target.objects.count() == 1
