"""What a draft learns from values: fitted families, privatised bounds and weights, locales.

Fitting: scipy families are fitted to one column by maximum likelihood, chosen by AIC and
checked with a KS test. Every candidate is fitted on the same sample of values and scored as the
spec will generate it: truncated to the column's privatised bounds ``[low, high]`` and, for a
column on a grid (whole numbers, fixed decimals), rounded to that grid. The AIC is computed on
the sample values inside the bounds with the truncated density; the Kolmogorov-Smirnov distance
compares the sample's empirical CDF with the truncated (and rounded) model CDF, so it is the
distance a synthetic column drawn from the draft will have. Parameters are rounded to 6
significant digits *before* they are scored, so the reported numbers describe the written spec.

Also here: bounds and weights privatised as the fitted models privatise them (clipped quantiles,
rare values pooled), weekday/hour patterns (chi-square), the Spearman block, and the locale
guess for PII columns (from value formats and words, never writing a value).
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize, stats

from synthcraft.pii import LOCALES, generate, list_kinds

__all__ = [
    "CATEGORICAL",
    "CONTINUOUS",
    "DISCRETE",
    "FAMILIES",
    "FamilyFit",
    "choose",
    "fit_continuous",
    "fit_discrete",
    "guess_locale",
    "mentions_last_name",
    "pattern_weights",
    "pooled_weights",
    "positive_definite",
    "privatised_bounds",
    "spearman_block",
    "verdict",
]

F64 = npt.NDArray[np.float64]

CONTINUOUS = (
    "norm",
    "lognorm",
    "gamma",
    "expon",
    "weibull_min",
    "beta",
    "uniform",
    "t",
    "logistic",
)
"""Continuous candidates, scipy names."""

DISCRETE = ("poisson", "nbinom", "geom")
"""Discrete candidates for whole-number columns with few values."""

CATEGORICAL = "categorical"
"""The empirical candidate for whole-number columns with at most 20 distinct values."""

FAMILIES = (*CONTINUOUS, *DISCRETE, CATEGORICAL)

RARE_K = 5
"""Values seen in fewer rows are pooled (as the fitted models do, ``synthesizers/_privatise``)."""

BOUNDS_Q = 0.001
"""Bounds are the ``q`` and ``1 - q`` quantiles, never the exact extremes."""

MIN_RHO = 0.05
"""Columns join the correlation block when they take part in a pair with ``|rho|`` this large."""

CHI2_P = 0.01
"""Weekday and hour weights are written when a chi-square test against uniform is below this."""

MIN_PVALUE = 0.001
"""A family "fits" when its KS p-value is at least this."""

MAX_DISTANCE = 0.05
"""KS distance above which even the best family keeps the marginal only roughly."""

_SIGNIFICANT = 6
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class FamilyFit:
    """One family fitted to one column.

    Attributes
    ----------
    column : str
        The column (its name in the draft).
    family : str
        scipy name, or ``"categorical"`` (params are then ``{value: weight}`` as text keys).
    params : Mapping[str, float]
        Fitted parameters by scipy name (shape parameters, ``loc``, ``scale``).
    aic : float
        Akaike information criterion on the sample values inside the bounds (lower is better).
    ks_statistic, ks_pvalue : float
        Kolmogorov-Smirnov distance to the sample and its p-value.
    n : int
        Values in the sample.
    chosen : bool
        The family the draft uses for the column.
    """

    column: str
    family: str
    params: Mapping[str, float]
    aic: float
    ks_statistic: float
    ks_pvalue: float
    n: int
    chosen: bool = False


def _sig(value: float) -> float:
    return float(f"{value:.{_SIGNIFICANT}g}")


def _clean(params: Mapping[str, float], exact: tuple[str, ...] = ()) -> dict[str, float]:
    """Parameters rounded to 6 significant digits (but ``exact`` ones), ``loc`` left out when 0."""
    return {
        k: float(v) if k in exact else _sig(float(v))
        for k, v in params.items()
        if not (k == "loc" and v == 0)
    }


def _width(low: float, high: float) -> float:
    """``high - low`` without float noise (the support of uniform and beta on the bounds)."""
    return float(f"{high - low:.12g}")


def _continuous_params(family: str, x: F64, low: float, high: float) -> dict[str, float] | None:
    """Maximum-likelihood parameters of ``family`` for ``x``, or None when it cannot fit."""
    positive = bool(x.min() > 0)
    if family == "norm":
        return {"loc": float(x.mean()), "scale": float(x.std())}
    if family == "uniform":
        return {"loc": low, "scale": _width(low, high)}
    if family == "expon":
        return {"scale": float(x.mean())} if x.min() >= 0 else None
    if family == "lognorm":
        if not positive:
            return None
        logs = np.log(x)
        return {"s": float(logs.std()), "scale": float(np.exp(logs.mean()))}
    if family in ("gamma", "weibull_min"):
        if not positive:
            return None
        shape, _, scale = getattr(stats, family).fit(x, floc=0)
        return {"a" if family == "gamma" else "c": float(shape), "scale": float(scale)}
    if family == "beta":
        tiny = (high - low) * 1e-9
        inner = np.clip(x[(x >= low) & (x <= high)], low + tiny, high - tiny)
        a, b, _, _ = stats.beta.fit(inner, floc=low, fscale=_width(low, high))
        return {"a": float(a), "b": float(b), "loc": low, "scale": _width(low, high)}
    if family == "t":
        df, loc, scale = stats.t.fit(x)
        return {"df": float(df), "loc": float(loc), "scale": float(scale)}
    loc, scale = stats.logistic.fit(x)
    return {"loc": float(loc), "scale": float(scale)}


_N_PARAMS = {"uniform": 2, "beta": 4, "t": 3}
_ON_BOUNDS = {"uniform": ("loc", "scale"), "beta": ("loc", "scale")}


def _score(
    column: str,
    family: str,
    params: dict[str, float],
    x: F64,
    low: float,
    high: float,
    step: float,
) -> FamilyFit | None:
    dist = getattr(stats, family)(**params)
    f_low, f_high = float(dist.cdf(low)), float(dist.cdf(high))
    mass = f_high - f_low
    if not mass > 0:
        return None
    tiny = (high - low) * 1e-9
    inner = np.clip(x[(x >= low) & (x <= high)], low + tiny, high - tiny)
    logpdf = dist.logpdf(inner)
    if inner.size == 0 or not np.all(np.isfinite(logpdf)):
        return None
    loglik = float(logpdf.sum()) - inner.size * math.log(mass)
    k = _N_PARAMS.get(family, len(params))

    def model_cdf(t: F64) -> F64:
        out = (dist.cdf(np.clip(t, low, high)) - f_low) / mass
        return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)

    d = _ks_distance(x, lambda u: model_cdf(u + step / 2), lambda u: model_cdf(u - step / 2))
    return _record(column, family, params, 2 * k - 2 * loglik, d, x.size)


def _ks_distance(x: F64, cdf_at: Callable[[F64], F64], cdf_before: Callable[[F64], F64]) -> float:
    """Largest gap between the empirical CDF of ``x`` and a model, at and just before each value."""
    values, counts = np.unique(x, return_counts=True)
    at = np.cumsum(counts) / x.size
    before = at - counts / x.size
    gap_at = np.abs(at - cdf_at(values))
    gap_before = np.abs(before - cdf_before(values))
    return float(max(gap_at.max(), gap_before.max()))


def _record(
    column: str, family: str, params: Mapping[str, float], aic: float, d: float, n: int
) -> FamilyFit:
    pvalue = float(stats.kstwo.sf(d, n)) if n > 0 else 0.0
    return FamilyFit(column, family, dict(params), float(aic), d, pvalue, n)


def fit_continuous(
    column: str,
    x: F64,
    low: float,
    high: float,
    *,
    step: float = 0.0,
    families: Sequence[str] = CONTINUOUS,
) -> list[FamilyFit]:
    """Fit the continuous ``families`` to ``x``, best AIC first (families that fail are left out).

    Parameters
    ----------
    column : str
        Column name recorded in each fit.
    x : ndarray
        The sample (finite floats, at least 2 distinct).
    low, high : float
        Privatised bounds the spec truncates to (``low < high``).
    step : float
        Grid of the column (1 for whole numbers, ``10**-decimals``), 0 when continuous.
    families : sequence of str
        Candidates among :data:`CONTINUOUS`.

    Returns
    -------
    list of FamilyFit
    """
    fits: list[FamilyFit] = []
    for family in families:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                raw = _continuous_params(family, x, low, high)
                params = None if raw is None else _clean(raw, _ON_BOUNDS.get(family, ()))
                fit = None if params is None else _score(column, family, params, x, low, high, step)
            except (ValueError, RuntimeError, FloatingPointError, ZeroDivisionError):
                fit = None
        if fit is not None and math.isfinite(fit.aic):
            fits.append(fit)
    return sorted(fits, key=lambda f: f.aic)


def _nbinom_params(values: F64, counts: F64, mean: float) -> dict[str, float] | None:
    """Maximum-likelihood ``n`` (with ``p = n / (n + mean)``), only for over-dispersed data."""
    total = counts.sum()
    var = float((counts * (values - mean) ** 2).sum() / total)
    if var <= mean:
        return None

    def neg_loglik(log_n: float) -> float:
        n = math.exp(log_n)
        return -float((counts * stats.nbinom.logpmf(values, n, n / (n + mean))).sum())

    start = math.log(mean**2 / (var - mean))
    best = optimize.minimize_scalar(
        neg_loglik, bounds=(min(start, 0.0) - 8.0, max(start, 0.0) + 8.0), method="bounded"
    )
    n = math.exp(float(best.x))
    return {"n": n, "p": n / (n + mean)}


def _discrete_params(family: str, values: F64, counts: F64) -> dict[str, float] | None:
    mean = float((values * counts).sum() / counts.sum())
    if family == "poisson":
        return {"mu": mean} if mean > 0 else None
    if family == "geom":
        shift = 0.0 if values.min() >= 1 else -1.0
        return {"p": 1.0 / (mean - shift), "loc": shift} if mean - shift > 1 else None
    return _nbinom_params(values, counts, mean)


def fit_discrete(
    column: str,
    x: F64,
    low: float,
    high: float,
    *,
    families: Sequence[str] = (*DISCRETE, CATEGORICAL),
    categories: Mapping[int, float] | None = None,
) -> list[FamilyFit]:
    """Fit discrete ``families`` (and the empirical ``categorical``) to whole numbers ``x >= 0``.

    ``categories`` are the weights the draft would write for the categorical candidate (rare
    values pooled); its AIC uses the sample's own shares with one parameter per distinct value.
    Returns the fits, best AIC first.
    """
    values, counts_int = np.unique(x, return_counts=True)
    counts = counts_int.astype(np.float64)
    inside = (values >= low) & (values <= high)
    fits: list[FamilyFit] = []
    for family in families:
        if family == CATEGORICAL:
            if categories:
                fits.append(_categorical_fit(column, x, values, counts, inside, categories))
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            raw = _discrete_params(family, values, counts)
            if raw is None:
                continue
            params = _clean(raw)
            dist = getattr(stats, family)(**params)
            f_low = float(dist.cdf(low - 1))
            mass = float(dist.cdf(high)) - f_low
            logpmf = dist.logpmf(values[inside])
            if not mass > 0 or not np.all(np.isfinite(logpmf)):
                continue
            loglik = float((counts[inside] * logpmf).sum()) - counts[inside].sum() * math.log(mass)

            def model_cdf(
                t: F64, dist: Any = dist, f_low: float = f_low, mass: float = mass
            ) -> F64:
                out = (dist.cdf(np.clip(t, low - 1, high)) - f_low) / mass
                return np.asarray(np.clip(out, 0.0, 1.0), dtype=np.float64)

            d = _ks_distance(x, model_cdf, partial(_shifted, model_cdf))
        fits.append(_record(column, family, params, 2 * len(params) - 2 * loglik, d, x.size))
    return sorted(fits, key=lambda f: f.aic)


def _shifted(cdf: Callable[[F64], F64], t: F64) -> F64:
    """The model CDF just before each whole number ``t``."""
    return cdf(t - 1)


def _categorical_fit(
    column: str,
    x: F64,
    values: F64,
    counts: F64,
    inside: npt.NDArray[np.bool_],
    categories: Mapping[int, float],
) -> FamilyFit:
    shares = counts[inside] / counts[inside].sum()
    loglik = float((counts[inside] * np.log(shares)).sum())
    keys = np.asarray(sorted(categories), dtype=np.float64)
    weights = np.asarray([categories[int(k)] for k in keys], dtype=np.float64)
    cumulative = np.cumsum(weights) / weights.sum()

    def model_cdf(t: F64) -> F64:
        index = np.searchsorted(keys, t, side="right") - 1
        return np.where(index >= 0, cumulative[np.maximum(index, 0)], 0.0)

    d = _ks_distance(x, model_cdf, partial(_shifted, model_cdf))
    params = {str(k): float(w) for k, w in sorted(categories.items())}
    return _record(column, CATEGORICAL, params, 2 * (int(inside.sum()) - 1) - 2 * loglik, d, x.size)


def choose(fits: Sequence[FamilyFit]) -> FamilyFit:
    """The fit with the lowest AIC, preferring a named family that passes the KS test over the
    empirical ``categorical`` one (``fits`` must not be empty)."""
    named = [f for f in fits if f.family != CATEGORICAL and f.ks_pvalue >= MIN_PVALUE]
    return min(named or fits, key=lambda f: f.aic)


def verdict(fits: Sequence[FamilyFit], chosen: FamilyFit) -> str:
    """The one-line YAML comment that explains the choice (no data values in it)."""
    ranked = sorted(fits, key=lambda f: f.aic)
    others = [f for f in ranked if f.family != chosen.family]
    ks = f"KS D={chosen.ks_statistic:.3f} p={chosen.ks_pvalue:.2g} on {chosen.n:,} values"
    if ranked[0].family != chosen.family:  # only the empirical shares fit better
        return (
            f"{chosen.family} chosen: best AIC {chosen.aic:.1f} of the named families that pass "
            f"KS (categorical, {ranked[0].aic:.1f}, would just copy the shares); {ks}"
        )
    nxt = f" (next: {others[0].family} {others[0].aic:.1f})" if others else ""
    if any(f.ks_pvalue >= MIN_PVALUE for f in fits):
        return f"{chosen.family} chosen by AIC {chosen.aic:.1f}{nxt}; {ks}"
    text = (
        f"no family passes KS (p < {MIN_PVALUE} for all); {chosen.family} has the best "
        f"AIC {chosen.aic:.1f}{nxt}; {ks}"
    )
    if chosen.ks_statistic > MAX_DISTANCE:
        text += f"; D > {MAX_DISTANCE}: the shape is kept only roughly, edit it"
    return text


def privatised_bounds(values: F64, step: float) -> tuple[float, float]:
    """Clipped quantiles rounded inwards to the grid ``step`` (0: no grid), as the models do."""
    lo_q, hi_q = (float(v) for v in np.quantile(values, [BOUNDS_Q, 1.0 - BOUNDS_Q]))
    if step == 0:
        return _sig(lo_q), _sig(hi_q)
    lo = math.ceil(lo_q / step - 1e-9) * step
    hi = math.floor(hi_q / step + 1e-9) * step
    if lo > hi:  # both quantiles fall between the same two grid points
        lo = hi = round(float(np.median(values)) / step) * step
    places = max(0, -math.floor(math.log10(step) + 1e-9))
    return round(lo, places), round(hi, places)


def pooled_weights(counts: Mapping[Any, int]) -> dict[Any, float]:
    """Weights (4 decimals) of values seen in at least :data:`RARE_K` rows; rare mass shared out."""
    kept = {v: c for v, c in counts.items() if c >= RARE_K}
    total = sum(kept.values())
    return {v: max(round(c / total, 4), 0.0001) for v, c in kept.items()} if total else {}


def pattern_weights(observed: F64, expected: F64) -> tuple[list[float], float] | None:
    """Weights of ``observed`` counts and the chi-square p-value, when they differ from
    ``expected`` (``p <`` :data:`CHI2_P`); counts below :data:`RARE_K` become 0."""
    used = expected > 0
    if observed.sum() < RARE_K or used.sum() < 2:
        return None
    scaled = expected[used] * observed[used].sum() / expected[used].sum()
    pvalue = float(stats.chisquare(observed[used], scaled).pvalue)
    kept = np.where(observed >= RARE_K, observed, 0.0)
    if pvalue >= CHI2_P or kept.sum() == 0:
        return None
    return [round(float(w), 4) for w in kept / kept.sum()], pvalue


def spearman_block(
    codes: Mapping[str, F64],
) -> tuple[list[str], list[list[float]], bool] | None:
    """Spearman correlations of the coded columns (pairwise complete), restricted to those in a
    ``|rho| >=`` :data:`MIN_RHO` pair: ``(names, matrix, adjusted)``, or None when < 2 remain."""
    if len(codes) < 2:
        return None
    frame = pd.DataFrame(dict(codes))
    rho = np.array(frame.corr(method="spearman", min_periods=10).fillna(0.0))
    np.fill_diagonal(rho, 1.0)
    strong = np.abs(rho) >= MIN_RHO
    np.fill_diagonal(strong, False)
    keep = np.flatnonzero(strong.any(axis=1))
    if keep.size < 2:
        return None
    matrix, adjusted = positive_definite(rho[np.ix_(keep, keep)])
    return [list(codes)[i] for i in keep], matrix, adjusted


def positive_definite(matrix: F64) -> tuple[list[list[float]], bool]:
    """``matrix`` rounded to 3 decimals, nudged until it and its copula form
    (``2 sin(pi rho / 6)``) are positive definite; True when it had to be nudged."""
    current = matrix
    for attempt in range(100):
        rounded = np.round(current, 3)
        np.fill_diagonal(rounded, 1.0)
        latent = 2.0 * np.sin(np.pi * rounded / 6.0)
        if min(np.linalg.eigvalsh(rounded).min(), np.linalg.eigvalsh(latent).min()) > 1e-6:
            return [[float(v) for v in row] for row in rounded], attempt > 0
        w, v = np.linalg.eigh(current)
        fixed = (v * np.clip(w, 1e-3, None)) @ v.T
        scale = np.sqrt(np.diag(fixed))
        shrink = 0.01 * (attempt + 1)
        current = (1 - shrink) * fixed / np.outer(scale, scale) + shrink * np.eye(len(matrix))
    return [[float(v) for v in row] for row in np.eye(len(matrix))], True


def _shape(value: str) -> str:
    return re.sub(r"\d", "9", re.sub(r"[^\W\d_]+", "a", value))


def _tokens(value: str) -> set[str]:
    return {t.lower() for t in re.findall(r"[^\W\d_]{2,}", value)}


@cache
def _profile(kind: str, locale: str) -> tuple[frozenset[str], frozenset[str]]:
    fake = [str(v) for v in generate(kind, 1000, 0, locale=locale)]
    return frozenset(map(_shape, fake)), frozenset(t for v in fake for t in _tokens(v))


def guess_locale(kind: str, values: pd.Series) -> str:
    """The locale whose fake values look most like ``values`` (formats and words); en_US on ties."""
    if kind not in list_kinds() or values.empty:
        return "en_US"
    sample = values.iloc[np.linspace(0, len(values) - 1, min(len(values), 1000)).astype(np.intp)]
    scores: dict[str, float] = {}
    for locale in LOCALES:
        shapes, words = _profile(kind, locale)
        shape_share = float(np.mean([_shape(v) in shapes for v in sample]))
        found = [len(t & words) / len(t) for t in map(_tokens, sample) if t]
        scores[locale] = shape_share + (float(np.mean(found)) if found else 0.0)
    best = max(LOCALES, key=lambda loc: scores[loc])
    return "en_US" if scores["en_US"] >= scores[best] - 0.02 else best


def mentions_last_name(person: str, mail: str) -> bool:
    """Whether an e-mail's local part holds the last word of ``person`` (ASCII forms too)."""
    local = mail.split("@")[0].lower()
    last = person.split()[-1].lower() if person.split() else ""
    plain = "".join(c for c in unicodedata.normalize("NFKD", last) if not unicodedata.combining(c))
    return bool(last) and any(form in local for form in (last, last.translate(_UMLAUTS), plain))
