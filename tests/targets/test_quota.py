"""targets/quota.py: which metric is a rep's quota, and whether a period is below it."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import AutonomyLevel
from targets.attainment import MetricAttainment, attainment_for_rep
from targets.quota import (
    DEFAULT_QUOTA_METRIC,
    is_below_quota,
    quota_attainment,
    quota_metric_slug,
    rep_quota_metric_slug,
)
from tests import factories
from tests.scenarios import at, rep_on_a_deals_team, sell

pytestmark = pytest.mark.django_db
FEBRUARY = dt.date(2026, 2, 1)


def line(status: str, target=Decimal(10)) -> MetricAttainment:
    return MetricAttainment(
        "revenue", "Revenue", "money", target, Decimal(5), 50, status
    )


def test_the_quota_metric_is_the_teams_and_revenue_without_one(team):
    # Given a team whose quota is deals, and a person with no team (a rep always has
    # one in the database: the default covers whoever is read without)
    team.quota_metric = "deals"
    loner = factories.RepFactory.build(team=None)

    # Then the team's setting decides, and the documented default covers the rest
    assert quota_metric_slug(team) == "deals"
    assert rep_quota_metric_slug(factories.RepFactory(team=team)) == "deals"
    assert DEFAULT_QUOTA_METRIC == "revenue"
    assert rep_quota_metric_slug(loner) == quota_metric_slug(None) == "revenue"


def test_only_a_line_behind_its_target_is_below_quota():
    assert is_below_quota(line("behind"))
    assert not is_below_quota(line("met"))
    assert not is_below_quota(line("on_pace"))
    assert not is_below_quota(line("no_target", target=None))
    assert not is_below_quota(None)


def test_a_deals_team_reads_its_quota_line_from_deals_not_revenue(team):
    # Given a deals-quota rep who sold €12,000 in one deal in February
    rep = rep_on_a_deals_team(team)
    sell(rep, 12000, at("Europe/Athens", 2026, 2, 10, 12))

    # When February's attainment is read
    february = attainment_for_rep(
        rep=rep, period="month", on=FEBRUARY, now=at("Europe/Athens", 2026, 3, 2, 9)
    )

    # Then the quota line is deals (1 of 3) and it is below quota, revenue met or not
    quota = quota_attainment(february)
    assert (quota.metric, quota.actual, quota.target) == ("deals", 1, 3)
    assert is_below_quota(quota)
    assert not is_below_quota(february.for_metric("revenue"))


def test_a_trusted_rep_on_the_deals_quota_is_not_watched_for_dips(team):
    from targets.review.dips import dips_watched

    rep = rep_on_a_deals_team(team)
    rep.autonomy_level = AutonomyLevel.ESTABLISHED
    mid_month = dt.date(2026, 11, 18)
    assert not dips_watched(rep=rep, quota_this_month=line("met"), today=mid_month)
    assert dips_watched(rep=rep, quota_this_month=line("behind"), today=mid_month)


def test_a_trusted_rep_keeps_quiet_until_the_month_can_be_judged(team):
    from targets.review.dips import earned_quiet

    rep = rep_on_a_deals_team(team)
    rep.autonomy_level = AutonomyLevel.AUTONOMOUS
    behind = line("behind")
    # December 2026 starts on a Tuesday: its first full week begins on Monday the 7th
    for day in (1, 4, 6):
        assert earned_quiet(
            rep=rep, quota_this_month=behind, today=dt.date(2026, 12, day)
        )
    assert not earned_quiet(
        rep=rep, quota_this_month=behind, today=dt.date(2026, 12, 7)
    )
    # A rep at a watched level, or without a quota, earns none on the first days either
    rep.autonomy_level = AutonomyLevel.RAMPING
    assert not earned_quiet(
        rep=rep, quota_this_month=behind, today=dt.date(2026, 12, 1)
    )
