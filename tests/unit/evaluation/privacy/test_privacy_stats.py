"""Wilson score intervals and the Anonymeter residual risk against hand-computed values."""

from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest

from synthcraft.evaluation.privacy._stats import (
    Rate,
    residual_risk,
    risk_result,
    wilson,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (50, 100, 0.403832, 0.596168),  # textbook Wilson interval for 50 / 100
        (0, 10, 0.0, 0.277533),  # no success: lower bound 0, upper (z² / (n + z²))
        (10, 10, 0.722467, 1.0),
        (81, 263, 0.255289, 0.366210),  # as scipy's binomtest(...).proportion_ci('wilson')
    ],
)
def test_wilson_interval_known_values(successes: int, n: int, low: float, high: float) -> None:
    assert wilson_interval(successes, n) == pytest.approx((low, high), abs=1e-6)


@pytest.mark.parametrize(("successes", "n"), [(3, 17), (40, 41), (250, 500)])
def test_wilson_interval_matches_scipy(successes: int, n: int) -> None:
    ci = binomtest(successes, n).proportion_ci(method="wilson")
    assert wilson_interval(successes, n) == pytest.approx((ci.low, ci.high), abs=1e-9)


def test_wilson_centre_is_shrunk_towards_half() -> None:
    rate = wilson(0, 10)
    z2 = 1.959963984540054**2
    assert rate.value == pytest.approx(0.5 * z2 / (10 + z2))
    assert rate.value - rate.error == pytest.approx(0.0, abs=1e-12)


def test_fractional_successes_are_accepted() -> None:
    assert wilson_interval(5.5, 11) == pytest.approx(wilson_interval(50, 100), abs=0.2)
    low, high = wilson_interval(5.5, 11)
    assert low < 0.5 < high


def test_residual_risk_formula_and_propagated_error() -> None:
    risk, (low, high) = residual_risk(Rate(0.6, 0.05), Rate(0.2, 0.04))
    error = math.hypot(0.05 / 0.8, 0.04 * (1 - 0.6) / 0.8**2)  # 0.0673146
    assert risk == pytest.approx(0.5)
    assert (low, high) == pytest.approx((0.5 - error, 0.5 + error))
    assert error == pytest.approx(0.0673146, abs=1e-7)


def test_residual_risk_is_clipped_at_zero_when_control_wins() -> None:
    risk, (low, high) = residual_risk(Rate(0.2, 0.03), Rate(0.4, 0.03))
    assert risk == 0.0
    assert low == 0.0
    assert high == 0.0


def test_risk_result_uses_wilson_rates_of_both_attacks() -> None:
    result = risk_result("linkability", 80, 100, 20, 100, {"extra": 1})
    main, control = wilson(80, 100), wilson(20, 100)
    expected = (main.value - control.value) / (1 - control.value)
    assert result.score == pytest.approx(expected)
    assert result.goal == "minimize"
    assert result.interval is not None
    assert result.interval[0] < result.score < result.interval[1]
    assert result.details["n_success_main"] == 80
    assert result.details["control_rate"] == pytest.approx(control.value)
    assert result.details["extra"] == 1
