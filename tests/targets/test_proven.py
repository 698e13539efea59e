"""Don't fix what works: a proven rep's targets go up, or autonomy down, only with a
written reason, and the rep is told and sees it on their history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AutonomyLevel, Notification
from meetings.autonomy import autonomy_set
from meetings.models import AutonomyChange
from targets.models import MonthResult, Target
from targets.quota import is_proven, proven_streak
from targets.services import target_set
from tests import factories
from tests.helpers import api_client_for
from tests.scenarios import QUOTA, rep_with_quota

pytestmark = pytest.mark.django_db


def months_back(rep, count: int) -> list[dt.date]:
    """The first days of the rep's last `count` closed months, newest first."""
    month = rep.local_date().replace(day=1)
    months = []
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


def judged(rep, *met: bool) -> None:
    """The review's verdicts on the last closed months, newest first."""
    for month_start, was_met in zip(months_back(rep, len(met)), met, strict=True):
        MonthResult.objects.create(
            rep=rep,
            month_start=month_start,
            metric=factories.metric("revenue"),
            target=QUOTA,
            actual=QUOTA if was_met else QUOTA / 2,
            met=was_met,
        )


@pytest.fixture
def proven_rep(team):
    rep = rep_with_quota(team, "Europe/Athens", autonomy_level=AutonomyLevel.AUTONOMOUS)
    judged(rep, True, True, True)
    return rep


def tomorrow(rep) -> dt.date:
    return rep.local_date() + dt.timedelta(days=1)


# --- The rule -----------------------------------------------------------------------


def test_three_closed_months_met_in_a_row_make_a_rep_proven(team):
    rep = rep_with_quota(team, "Europe/Athens")
    judged(rep, True, True, True)
    assert proven_streak(rep, limit=5) == 3 and is_proven(rep)


@pytest.mark.parametrize(
    "verdicts", [(True, True), (True, False, True), (False, True, True, True)]
)
def test_a_short_or_broken_streak_is_not_proven(team, verdicts):
    rep = rep_with_quota(team, "Europe/Athens")
    judged(rep, *verdicts)
    assert not is_proven(rep)


def test_a_month_not_judged_breaks_the_streak(team):
    rep = rep_with_quota(team, "Europe/Athens")
    judged(rep, True, True, True, True)
    MonthResult.objects.filter(month_start=months_back(rep, 2)[1]).delete()
    assert proven_streak(rep, limit=5) == 1


def test_the_number_of_months_is_a_setting(team, settings):
    settings.PROVEN_MONTHS = 2
    rep = rep_with_quota(team, "Europe/Athens")
    judged(rep, True, True)
    assert is_proven(rep)


# --- Targets ------------------------------------------------------------------------


def raise_revenue(rep, **extra):
    return target_set(
        rep=rep,
        metric=factories.metric("revenue"),
        period="month",
        amount=Decimal(15000),
        effective_from=tomorrow(rep),
        by=rep.team.manager,
        **extra,
    )


def test_raising_a_proven_reps_target_without_a_reason_is_refused(proven_rep):
    with pytest.raises(ValidationError) as refused:
        raise_revenue(proven_rep)
    assert "3 months in a row" in refused.value.message_dict["reason"][0]
    assert Target.objects.filter(rep=proven_rep, amount=15000).count() == 0


def test_with_a_reason_the_target_keeps_it_and_the_rep_is_told(proven_rep):
    target = raise_revenue(proven_rep, reason="The new territory doubles the leads")

    assert target.reason == "The new territory doubles the leads"
    told = Notification.objects.get(user=proven_rep, kind="target.raised")
    assert told.title == "Your Revenue target goes up from 10,000 to 15,000"
    assert told.body == "Reason: The new territory doubles the leads"


def test_lowering_a_target_or_raising_an_unproven_reps_needs_no_reason(
    proven_rep, team
):
    target_set(
        rep=proven_rep,
        metric=factories.metric("revenue"),
        period="month",
        amount=Decimal(8000),
        effective_from=tomorrow(proven_rep),
        by=team.manager,
    )
    newcomer = rep_with_quota(team, "Europe/Athens")
    assert raise_revenue(newcomer).reason == ""
    assert not Notification.objects.filter(kind="target.raised").exists()


def agree_form(rep, **extra):
    return {
        "effective_from": tomorrow(rep).isoformat(),
        "amount_revenue": "15000",
        **extra,
    }


def test_the_agree_form_asks_for_the_reason_and_the_rep_sees_it(client, proven_rep):
    client.force_login(proven_rep.team.manager)
    url = reverse("targets:agree_targets", args=[proven_rep.pk])

    refused = client.post(url, agree_form(proven_rep))

    assert refused.status_code == 400
    assert "3 months in a row" in refused.context["form"].errors["reason"][0]
    assert 'value="15000"' in refused.content.decode()  # nothing typed is lost
    assert not Target.objects.filter(rep=proven_rep, amount=15000).exists()

    saved = client.post(url, agree_form(proven_rep, reason="Two new accounts"))

    assert saved.status_code == 302
    assert Target.objects.get(rep=proven_rep, amount=15000).reason == "Two new accounts"
    client.force_login(proven_rep)
    assert Notification.objects.filter(
        user=proven_rep, body="Reason: Two new accounts"
    ).exists()
    history = client.get(reverse("targets:list")).content.decode()  # and to come
    assert "Why it changed: Two new accounts" in history
    client.force_login(proven_rep.team.manager)
    page = client.get(reverse("meetings:rep_history", args=[proven_rep.pk]))
    (change,) = page.context["target_changes"]
    assert change.reason == "Two new accounts"
    assert "Two new accounts" in page.content.decode()


def test_the_api_answers_400_with_a_reason_error_and_201_with_one(proven_rep):
    client = api_client_for(proven_rep.team.manager)
    body = {
        "user": proven_rep.pk,
        "metric": "revenue",
        "period": "month",
        "amount": "15000",
        "effective_from": tomorrow(proven_rep).isoformat(),
    }

    refused = client.post("/api/v1/targets/", body, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["reason"]

    saved = client.post(
        "/api/v1/targets/", body | {"reason": "Bigger patch"}, format="json"
    )
    assert saved.status_code == 201
    assert saved.json()["reason"] == "Bigger patch"


# --- Autonomy -----------------------------------------------------------------------


def test_lowering_a_proven_reps_level_tells_them_why_and_shows_on_their_history(
    client, proven_rep
):
    manager = proven_rep.team.manager
    client.force_login(manager)

    response = client.post(
        reverse("meetings:autonomy_change", args=[proven_rep.pk]),
        {"to_level": "established", "reason": "New product line: weekly talks"},
    )

    assert response.status_code == 302
    told = Notification.objects.get(user=proven_rep, kind="autonomy.lowered")
    assert told.body == "Reason: New product line: weekly talks"
    page = client.get(reverse("meetings:rep_history", args=[proven_rep.pk]))
    assert "New product line: weekly talks" in page.content.decode()
    client.force_login(proven_rep)
    own = client.get(reverse("meetings:list")).content.decode()
    assert "New product line: weekly talks" in own


def test_the_service_refuses_lowering_a_proven_rep_without_a_reason(proven_rep):
    with pytest.raises(ValidationError) as refused:
        autonomy_set(
            rep=proven_rep,
            to_level="ramping",
            reason=" ",
            by=proven_rep.team.manager,
        )
    assert "months in a row" in refused.value.message_dict["reason"][0]
    assert not AutonomyChange.objects.exists()


def test_promotions_and_the_reviews_changes_tell_nobody(proven_rep):
    autonomy_set(rep=proven_rep, to_level="established", reason="Missed the quota")
    autonomy_set(
        rep=proven_rep,
        to_level="autonomous",
        reason="Back on track",
        by=proven_rep.team.manager,
    )
    assert not Notification.objects.filter(kind="autonomy.lowered").exists()
