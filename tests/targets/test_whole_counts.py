"""A count metric's target or goal is a whole number (`targets.services.count_amount_errors`),
wherever it is set, and count amounts are shown whole (`amount_in`)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import ImportJob
from targets.history_import import history_import_start
from targets.models import PersonalGoal, Target
from targets.personal_goals import personal_goal_set, personal_goal_update
from targets.services import target_set
from tests import factories
from tests.helpers import api_client_for
from tests.targets.test_dashboard import give_standard_targets

WHOLE = "Calls are counted in whole numbers."


def tomorrow(rep):
    return rep.local_date() + dt.timedelta(days=1)


def test_a_fractional_count_target_is_refused_and_money_may_have_cents(rep, manager):
    with pytest.raises(ValidationError) as error:
        target_set(
            rep=rep,
            metric=factories.metric("calls"),
            period="day",
            amount=Decimal("30.5"),
            effective_from=tomorrow(rep),
            by=manager,
        )
    assert error.value.message_dict == {"amount": [WHOLE]}
    calls = target_set(
        rep=rep,
        metric=factories.metric("calls"),
        period="day",
        amount=Decimal("30.00"),
        effective_from=tomorrow(rep),
        by=manager,
    )
    revenue = target_set(
        rep=rep,
        metric=factories.metric("revenue"),
        period="month",
        amount=Decimal("20000.50"),
        effective_from=tomorrow(rep),
        by=manager,
    )
    assert (calls.amount, revenue.amount) == (30, Decimal("20000.50"))


def test_the_agree_form_names_the_field_and_keeps_the_input(client, rep, manager):
    give_standard_targets(rep)
    client.force_login(manager)
    url = reverse("targets:agree_targets", args=[rep.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].initial for name in form.fields if form[name].initial}
    data |= {
        "effective_from": tomorrow(rep).isoformat(),
        "amount_calls": "30.5",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["amount_calls"] == [WHOLE]
    assert 'value="30.5"' in response.content.decode()
    assert not Target.objects.filter(rep=rep, amount=Decimal("30.5")).exists()


def test_the_api_answers_400_on_the_amount(rep, manager):
    body = {
        "user": rep.pk,
        "metric": "calls",
        "period": "day",
        "amount": "30.5",
        "effective_from": tomorrow(rep).isoformat(),
    }
    client = api_client_for(manager)
    refused = client.post("/api/v1/targets/", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["amount"] == [WHOLE]
    saved = client.post("/api/v1/targets/", body | {"amount": "30"}, format="json")
    assert saved.status_code == 201


def test_a_fractional_count_goal_is_refused_when_set_or_changed(rep):
    give_standard_targets(rep)
    calls = factories.metric("calls")
    with pytest.raises(ValidationError) as error:
        personal_goal_set(rep=rep, metric=calls, period="day", amount=Decimal("30.5"))
    assert error.value.message_dict == {"amount": [WHOLE]}
    goal = personal_goal_set(rep=rep, metric=calls, period="day", amount=30)
    with pytest.raises(ValidationError):
        personal_goal_update(goal=goal, amount=Decimal("31.5"))
    assert PersonalGoal.objects.get().amount == 30
    # Money may have cents
    personal_goal_set(
        rep=rep,
        metric=factories.metric("revenue"),
        period="month",
        amount=Decimal("20000.50"),
    )


def test_the_goal_form_refuses_half_a_call_beside_the_field(client, rep):
    give_standard_targets(rep)
    client.force_login(rep)
    response = client.post(
        reverse("targets:goal_save"),
        {"metric": "calls", "period": "day", "amount": "30.5"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'data-testid="goal-error-amount">{WHOLE}' in page
    assert 'value="30.5"' in page


def test_the_goal_form_groups_money_amounts(client, rep):
    give_standard_targets(rep)
    client.force_login(rep)
    response = client.post(
        reverse("targets:goal_save"),
        {"metric": "revenue", "period": "month", "amount": "15000"},
    )
    page = response.content.decode()
    assert "Revenue (agreed: 20,000 per month)" in page
    assert "Your agreed target is 20,000 Revenue per month: aim above it." in page


def test_a_file_with_half_a_call_names_the_line(admin_user, rep):
    Target.objects.filter(rep=rep).delete()
    content = (
        "email,metric,period,amount,effective_from,effective_until\n"
        f"{rep.email},calls,day,20.5,2026-06-01,2026-08-31\n"
        f"{rep.email},revenue,month,20000.50,2026-06-01,2026-08-31\n"
    )
    job, _new = history_import_start(
        by=admin_user, kind="targets", filename="targets.csv", content=content
    )
    assert job.status == ImportJob.Status.FAILED
    assert {error["line"]: error["message"] for error in job.errors} == {2: WHOLE}


def test_count_amounts_show_whole_on_today_the_history_and_the_goals(
    client, rep, manager
):
    # Given a calls target from before the rule, with cents, not yet agreed
    Target.objects.filter(rep=rep).delete()
    factories.TargetFactory(
        rep=rep,
        metric=factories.metric("calls"),
        period="day",
        amount=Decimal("30.50"),
        effective_from=rep.local_date(),
        agreed_at=None,
        reason="More leads",
        set_by=manager,
    )
    PersonalGoal.objects.create(
        rep=rep, metric=factories.metric("calls"), period="day", amount=Decimal(31)
    )
    client.force_login(rep)
    today = client.get(reverse("home")).content.decode()
    assert "30 Calls per day" in today and "30.50" not in today
    results = client.get(reverse("targets:my_results")).content.decode()
    assert "Calls</span> · 31 per day" in results and "31.00" not in results
    assert "30.50" not in client.get(reverse("targets:list")).content.decode()
    client.force_login(manager)
    history = client.get(reverse("meetings:rep_history", args=[rep.pk])).content
    assert "Calls 30 per day" in history.decode()
    assert "30.50" not in history.decode()


def test_the_goals_api_answers_400_on_the_amount(api_client, rep):
    give_standard_targets(rep)
    api_client.force_authenticate(rep)
    response = api_client.post(
        "/api/v1/personal-goals/",
        {"metric": "calls", "period": "day", "amount": "30.5"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["amount"] == [WHOLE]
