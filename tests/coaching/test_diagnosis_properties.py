"""Properties of the back-solve (coaching.diagnosis.arithmetic), on any rates."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coaching.diagnosis.arithmetic import STAGES, back_solve, whole

# A conversion between 1 % and 100 %, a deal size from €1 to €100,000
shares = st.fractions(min_value=Fraction(1, 100), max_value=1, max_denominator=1000)
sizes = st.fractions(min_value=1, max_value=100_000, max_denominator=100)
rates = st.fixed_dictionaries(
    {
        "volume": st.fractions(min_value=0, max_value=200, max_denominator=100),
        "connect": shares,
        "appointment": shares,
        "close": shares,
        "deal_size": sizes,
    }
)
quotas = st.integers(min_value=1, max_value=10_000_000).map(Decimal)
work_days = st.integers(min_value=1, max_value=31)
factors = st.integers(min_value=1, max_value=50)


# A shared, loaded machine must not fail a property for being slow to generate.
PATIENT = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def solve(quota, rates, days, *, in_deals=False):
    return back_solve(quota=quota, quota_in_deals=in_deals, rates=rates, work_days=days)


@PATIENT
@given(rates=rates, quota=quotas, days=work_days, factor=factors)
def test_at_fixed_rates_the_calls_scale_linearly_with_the_quota(
    rates, quota, days, factor
):
    one, many = solve(quota, rates, days), solve(quota * factor, rates, days)
    assert many.calls == one.calls * factor
    assert many.appointments == one.appointments * factor
    assert many.calls_per_work_day == one.calls_per_work_day * factor
    # Rounded up, k times the quota never needs more than k times the rounded calls
    assert whole(many.calls) <= whole(one.calls) * factor


@PATIENT
@given(
    rates=rates,
    quota=quotas,
    days=work_days,
    stage=st.sampled_from(STAGES),
    better=st.fractions(min_value=0, max_value=10, max_denominator=100),
)
def test_improving_a_stage_to_the_team_median_never_raises_required_activity(
    rates, quota, days, stage, better
):
    # The team's median at or above the rep's own rate (a share stays at most 100 %)
    median = rates[stage] * (1 + better)
    if stage in ("connect", "appointment", "close"):
        median = min(median, Fraction(1))
    own = solve(quota, rates, days)
    improved = solve(quota, rates | {stage: median}, days)
    for field in ("deals", "appointments", "connected", "calls", "calls_per_work_day"):
        assert getattr(improved, field) <= getattr(own, field)
        assert whole(getattr(improved, field)) <= whole(getattr(own, field))


@PATIENT
@given(rates=rates, quota=st.integers(min_value=1, max_value=1000), days=work_days)
def test_a_deals_quota_needs_exactly_that_many_deals(rates, quota, days):
    solution = solve(Decimal(quota), rates, days, in_deals=True)
    assert solution.deals == quota
    assert solution.calls == (
        quota / rates["close"] / rates["appointment"] / rates["connect"]
    )


def test_a_zero_rate_on_the_way_has_no_solution():
    rates = {
        "volume": Fraction(10),
        "connect": Fraction(0),
        "appointment": Fraction(1, 2),
        "close": Fraction(1, 2),
        "deal_size": Fraction(100),
    }
    assert solve(Decimal(1000), rates, 20) is None
