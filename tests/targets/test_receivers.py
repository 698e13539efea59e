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


def test_the_add_rep_page_and_the_csv_import_choose_a_target_template(db, client):
    from accounts.models import User
    from accounts.people_import import import_job_create, import_job_run
    from targets.models import Target, TargetTemplate, TargetTemplateItem

    admin = factories.AdminFactory()
    team = factories.TeamFactory(name="Aegean")
    closers = TargetTemplate.objects.create(name="Closers")
    TargetTemplateItem.objects.create(
        template=closers, metric=factories.metric("calls"), period="day", amount=40
    )
    client.force_login(admin)

    page = client.get("/accounts/people/add/")
    assert "Closers" in page.content.decode()
    client.post(
        "/accounts/people/add/",
        {
            "first_name": "Nikos",
            "last_name": "G",
            "email": "nikos@example.com",
            "team": team.pk,
            "timezone": "Europe/Athens",
            "start_date": "2026-12-01",
            "template": "Closers",
        },
    )
    nikos = User.objects.get(email="nikos@example.com")
    assert list(
        Target.objects.filter(rep=nikos).values_list("metric__slug", "amount")
    ) == [("calls", 40)]

    content = (
        "email,first_name,last_name,team,timezone,start_date,role,template\n"
        "a@example.com,A,A,Aegean,Europe/Athens,2026-12-01,rep,Closers\n"
        "b@example.com,B,B,Aegean,Europe/Athens,2026-12-01,rep,\n"
        "c@example.com,C,C,Aegean,Europe/Athens,2026-12-01,rep,Nope\n"
    )
    failed = import_job_run(
        job=import_job_create(by=admin, filename="x.csv", content=content)
    )
    assert failed.errors == [{"line": 4, "message": "unknown target template “Nope”"}]
    done = import_job_run(
        job=import_job_create(
            by=admin, filename="x.csv", content=content.rsplit("c@", 1)[0]
        )
    )
    assert done.status == "done"
    a_targets = Target.objects.filter(rep__email="a@example.com")
    assert list(a_targets.values_list("amount", flat=True)) == [40]
    b_targets = Target.objects.filter(rep__email="b@example.com")
    assert (
        b_targets.count() == TargetTemplate.objects.get(is_default=True).items.count()
    )
