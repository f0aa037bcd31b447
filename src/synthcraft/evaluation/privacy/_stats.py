"""Rates with Wilson score intervals and the Anonymeter residual risk."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from synthcraft.evaluation._result import MetricResult

__all__ = ["Rate", "residual_risk", "risk_result", "unavailable", "wilson", "wilson_interval"]

Z95 = 1.959963984540054
"""Two-sided 95% normal quantile."""


class Rate(NamedTuple):
    """A success rate: Wilson centre ``value`` and half-width ``error`` of its 95% interval."""

    value: float
    error: float


def wilson(successes: float, n: int, z: float = Z95) -> Rate:
    """Wilson score centre and half-width for ``successes`` out of ``n`` trials.

    ``successes`` may be fractional (ties counted as half). Centre
    ``(s + z²/2) / (n + z²)``, half-width ``z / (n + z²) * sqrt(s (n - s) / n + z² / 4)``.

    Examples
    --------
    >>> r = wilson(50, 100)
    >>> round(r.value - r.error, 4), round(r.value + r.error, 4)
    (0.4038, 0.5962)
    """
    z2 = z * z
    denominator = n + z2
    centre = (successes + 0.5 * z2) / denominator
    error = z / denominator * math.sqrt(successes * (n - successes) / n + 0.25 * z2)
    return Rate(centre, error)


def wilson_interval(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a proportion, clipped to [0, 1]."""
    rate = wilson(successes, n, z)
    return max(0.0, rate.value - rate.error), min(1.0, rate.value + rate.error)


def residual_risk(main: Rate, control: Rate) -> tuple[float, tuple[float, float]]:
    """Anonymeter risk ``(main - control) / (1 - control)`` clipped to [0, 1], with its interval.

    The interval is the risk plus or minus the propagated error
    ``sqrt((e_m / (1 - c))² + (e_c (1 - m) / (1 - c)²)²)``, clipped to [0, 1].
    """
    margin = 1.0 - control.value
    risk = (main.value - control.value) / margin
    error = math.hypot(main.error / margin, control.error * (1.0 - main.value) / margin**2)
    low = min(max(risk - error, 0.0), 1.0)
    high = min(max(risk + error, 0.0), 1.0)
    return min(max(risk, 0.0), 1.0), (low, high)


def unavailable(
    name: str,
    goal: Any,
    reason: str,
    bounds: tuple[float, float] = (0.0, 1.0),
    details: Mapping[str, Any] | None = None,
) -> MetricResult:
    """A NaN result whose ``details["reason"]`` says why it could not be computed."""
    return MetricResult(name, math.nan, goal, bounds, {**(details or {}), "reason": reason})


def risk_result(
    name: str,
    main_success: int,
    main_attacks: int,
    control_success: int,
    control_attacks: int,
    details: Mapping[str, Any],
) -> MetricResult:
    """Build an Anonymeter-style risk result from success counts against training and holdout."""
    main = wilson(main_success, main_attacks)
    control = wilson(control_success, control_attacks)
    risk, interval = residual_risk(main, control)
    extra = {
        "n_attacks": main_attacks,
        "n_control_attacks": control_attacks,
        "n_success_main": main_success,
        "n_success_control": control_success,
        "main_rate": main.value,
        "main_rate_error": main.error,
        "control_rate": control.value,
        "control_rate_error": control.error,
    }
    return MetricResult(name, risk, "minimize", (0.0, 1.0), {**details, **extra}, interval)
