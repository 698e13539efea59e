"""What the attention page says of a rep's month: "on quota" only of a month met or
closed, "on pace" of a running one; and a hint on a phone that the table scrolls."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from coaching import attention
from coaching.attention import attention_ledger
from tests.scenarios import QUOTA, at, rep_with_quota, sell

pytestmark = pytest.mark.django_db

ATHENS = "Europe/Athens"
DECEMBER = dt.date(2026, 12, 1)
FIRST_MORNING = at(ATHENS, 2026, 12, 1, 10)


def test_a_running_month_at_zero_with_nothing_due_yet_is_on_pace_not_on_quota(team):
    rep_with_quota(team, ATHENS)
    (row,) = attention_ledger(team=team, month=DECEMBER, now=FIRST_MORNING).rows
    assert (row.on_quota, row.on_pace) == (True, True)


def test_a_running_month_already_met_is_on_quota(team):
    rep = rep_with_quota(team, ATHENS)
    sell(rep, QUOTA, at(ATHENS, 2026, 12, 1, 9))
    (row,) = attention_ledger(team=team, month=DECEMBER, now=FIRST_MORNING).rows
    assert (row.on_quota, row.on_pace) == (True, False)


def test_the_page_says_on_pace_and_hints_that_the_table_scrolls(
    client, manager, team, monkeypatch
):
    rep = rep_with_quota(team, ATHENS)
    monkeypatch.setattr(
        attention, "timezone", SimpleNamespace(now=lambda: FIRST_MORNING)
    )
    client.force_login(manager)
    body = client.get(
        reverse("attention:ledger"), {"month": "2026-12"}
    ).content.decode()
    row = body.split(f'data-testid="attention-row-{rep.pk}"')[1].split("</tr>")[0]
    assert "On pace" in row and "On quota" not in row
    hint = body.split('data-testid="attention-scroll-hint"')[0].rsplit("<p", 1)[1]
    assert "d-md-none" in hint
    assert "Scroll sideways for minutes and check-ins" in body
