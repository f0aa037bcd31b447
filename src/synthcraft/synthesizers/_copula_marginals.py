"""Numeric marginals of the Gaussian copula: a scipy family chosen by goodness of fit.

Each candidate family is fitted to the column's values rescaled to ``[0, 1]`` by the stored
(privatised) bounds, so no parameter encodes an exact extreme. The family with the smallest
Kolmogorov-Smirnov statistic wins if it fits well enough; otherwise (multimodal, heavy tails,
few distinct values) the smoothed empirical quantiles are used. Either way the result is a
lookup table at :data:`synthcraft.synthesizers._marginals.Z_GRID`: ``ppf`` is computed once on
the grid at fit time, never per sampled row.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import optimize, special, stats

from synthcraft.synthesizers._marginals import U_GRID, empirical_table

__all__ = ["FAMILIES", "Marginal", "fit_marginal"]

F64 = npt.NDArray[np.float64]

FAMILIES = ("norm", "lognorm", "gamma", "beta", "uniform", "truncnorm")
"""Parametric families the copula tries, in this order."""

EMPIRICAL = "empirical"
KS_ROWS = 20_000
"""Values used for the KS statistic."""
MLE_ROWS = 5_000
"""Values used for maximum-likelihood fits."""
FEW_VALUES = 30
"""Columns with at most this many distinct values use the empirical table directly."""


@dataclass(frozen=True)
class Marginal:
    """A fitted numeric marginal: its family, parameters (on the [0, 1] scale), KS and table."""

    family: str
    params: tuple[float, ...]
    ks: float
    table: F64


def _norm(t: F64) -> Any:
    return stats.norm(loc=float(t.mean()), scale=max(float(t.std()), 1e-6))


def _uniform(t: F64) -> Any:
    return stats.uniform(loc=0.0, scale=1.0)


def _shift(lo: float, span: float) -> float:
    """Location of the skewed families: 0 on the original scale when the data are positive."""
    return -lo / span if lo > 0 else -0.05


def _lognorm(t: F64, lo: float, span: float) -> Any:
    loc = _shift(lo, span)
    logs = np.log(t - loc)
    return stats.lognorm(max(float(logs.std()), 1e-6), loc=loc, scale=float(np.exp(logs.mean())))


def _gamma(t: F64, lo: float, span: float) -> Any:
    loc = _shift(lo, span)
    a, _, scale = stats.gamma.fit(t, floc=loc)
    return stats.gamma(a, loc=loc, scale=scale)


def _beta(t: F64) -> Any:
    a, b, _, _ = stats.beta.fit(t, floc=-0.01, fscale=1.02)
    return stats.beta(a, b, loc=-0.01, scale=1.02)


def _truncnorm(t: F64) -> Any:
    def nll(p: F64) -> float:
        mu, sigma = float(p[0]), float(np.exp(p[1]))
        mass = special.ndtr((1.0 - mu) / sigma) - special.ndtr((0.0 - mu) / sigma)
        z = (t - mu) / sigma
        return float(0.5 * np.sum(z * z) + t.size * (np.log(sigma) + np.log(max(mass, 1e-300))))

    start = np.array([float(t.mean()), np.log(max(float(t.std()), 1e-3))])
    res = optimize.minimize(nll, start, method="Nelder-Mead", options={"maxiter": 400})
    mu, sigma = float(res.x[0]), float(np.exp(res.x[1]))
    return stats.truncnorm((0.0 - mu) / sigma, (1.0 - mu) / sigma, loc=mu, scale=sigma)


def _builders(lo: float, span: float) -> dict[str, Callable[[F64], Any]]:
    return {
        "norm": _norm,
        "lognorm": lambda t: _lognorm(t, lo, span),
        "gamma": lambda t: _gamma(t, lo, span),
        "beta": _beta,
        "uniform": _uniform,
        "truncnorm": _truncnorm,
    }


def _ks(dist: Any, sorted_t: F64) -> float:
    n = sorted_t.size
    cdf = np.asarray(dist.cdf(sorted_t), dtype=np.float64)
    if not np.all(np.isfinite(cdf)):
        return np.inf
    upper = np.arange(1, n + 1) / n - cdf
    lower = cdf - np.arange(0, n) / n
    return float(max(upper.max(), lower.max()))


def _params(dist: Any) -> tuple[float, ...]:
    return tuple(float(v) for v in (*dist.args, *dist.kwds.values()))


def fit_marginal(
    values: F64,
    lo: float,
    hi: float,
    *,
    integer: bool,
    families: Sequence[str],
    rng: np.random.Generator,
    k: int = 5,
) -> Marginal:
    """Choose and tabulate the marginal of the observed ``values`` within bounds ``[lo, hi]``.

    ``k`` is the smoothing window of the empirical table (see ``empirical_table``).
    """
    values = np.clip(values, lo, hi)
    span = hi - lo
    if span <= 0 or float(np.ptp(values)) == 0.0:
        return Marginal(EMPIRICAL, (), 0.0, np.full(U_GRID.size, lo))
    empirical = Marginal(EMPIRICAL, (), 0.0, empirical_table(values, lo, hi, k))
    if not families or np.unique(values).size <= FEW_VALUES:
        return empirical
    sample = values if values.size <= KS_ROWS else rng.choice(values, KS_ROWS, replace=False)
    if integer:  # dequantise whole numbers so continuous families are judged fairly
        sample = sample + rng.uniform(-0.5, 0.5, sample.size)
    t = np.sort(np.clip((sample - lo) / span, -0.005, 1.005))
    mle = t if t.size <= MLE_ROWS else np.sort(rng.choice(t, MLE_ROWS, replace=False))
    best: tuple[float, str, Any] | None = None
    builders = _builders(lo, span)
    for name in families:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                dist = builders[name](mle)
                score = _ks(dist, t)
        except (ValueError, RuntimeError, FloatingPointError, ZeroDivisionError):
            continue
        if np.isfinite(score) and (best is None or score < best[0]):
            best = (score, name, dist)
    threshold = max(0.015, 1.63 / np.sqrt(t.size))
    if best is None or best[0] > threshold:
        return empirical
    score, name, dist = best
    with np.errstate(all="ignore"):
        ppf = np.asarray(dist.ppf(U_GRID), dtype=np.float64)
    if not np.all(np.isfinite(ppf)):
        return empirical
    table = np.maximum.accumulate(np.clip(lo + span * ppf, lo, hi))
    return Marginal(name, _params(dist), score, table)
