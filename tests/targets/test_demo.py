"""seed_demo with targets and history (activities/demo.py, targets/demo.py)."""

import datetime as dt

from django.core.management import call_command

from accounts.models import Role, User
from activities.models import Activity, Deal
from activities.tallies import tallies_verify
from targets.models import Target
from targets.selectors import attainment_for_reps


def test_seed_demo_gives_every_rep_agreed_targets_and_a_mixed_history(capsys):
    # When the demo is seeded twice with three weeks of history
    call_command("seed_demo", "--days", "21")
    counts = (Activity.objects.count(), Deal.objects.count(), Target.objects.count())
    call_command("seed_demo", "--days", "21")
    # Then the second run added nothing, and the tallies match the raw rows
    assert (
        Activity.objects.count(),
        Deal.objects.count(),
        Target.objects.count(),
    ) == counts
    assert counts[0] > 5000
    assert tallies_verify() == []
    # And every activity happened inside its rep's work hours on its local date
    for activity in Activity.objects.select_related("rep"):
        local = activity.occurred_at.astimezone(activity.rep.zone)
        assert local.date() == activity.local_date
        assert activity.rep.work_start <= local.time() <= activity.rep.work_end
    # And every rep has the four Standard targets; two have not agreed yet
    reps = list(User.objects.filter(role=Role.REP))
    assert Target.objects.filter(rep__in=reps).count() == 4 * len(reps)
    unagreed = set(
        Target.objects.filter(agreed_at__isnull=True).values_list(
            "rep__email", flat=True
        )
    )
    assert unagreed == {"maria@example.com", "kai@example.com"}
    # And last week some reps met their calls target and some fell behind
    last_week = dt.date.today() - dt.timedelta(days=7)
    results = attainment_for_reps(reps=reps, periods=["week"], on=last_week)
    statuses = {results[rep.pk, "week"].for_metric("calls").status for rep in reps}
    assert {"met", "behind"} <= statuses
    assert "Wrote" in capsys.readouterr().out
