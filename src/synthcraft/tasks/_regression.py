"""Regression with known truth: ``y = f(X) + categorical effects + Gaussian noise``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.integrate import quad
from scipy.special import ndtr

from synthcraft._rng import check_rng
from synthcraft._types import SeedLike
from synthcraft.errors import UserInputError
from synthcraft.tasks._common import (
    BlockTask,
    apply_missing,
    check_count,
    check_missing,
    check_share,
    frame,
    stream,
)
from synthcraft.tasks._truth import MissingTruth, RegressionTruth

__all__ = ["SHAPES", "RegressionTask", "regression"]

SHAPES = ("linear", "friedman1", "sine", "interaction")
"""Generating functions of :func:`regression`."""

_FEATURES, _LEVELS, _NOISE, _MISSING = range(4)


def _signs(rng: np.random.Generator, size: int) -> np.ndarray:
    """Coefficients of magnitude 0.5 .. 2 with random signs."""
    out: np.ndarray = rng.uniform(0.5, 2.0, size) * rng.choice([-1.0, 1.0], size)
    return out


def _friedman_variance() -> float:
    """Exact variance of Friedman #1 on uniform inputs (x0 * x1 has density -log t on (0, 1))."""
    m1 = quad(lambda t: -np.sin(np.pi * t) * np.log(t), 0, 1)[0]
    m2 = quad(lambda t: -(np.sin(np.pi * t) ** 2) * np.log(t), 0, 1)[0]
    return float(100 * (m2 - m1**2) + 400 / 180 + 100 / 12 + 25 / 12)


class RegressionTask(BlockTask):
    """A regression task built by :func:`regression`; ``truth`` holds what made it."""

    def __init__(self, truth: RegressionTruth) -> None:
        self.truth = truth
        self._numeric = truth.numeric
        self._k = len(truth.informative)

    def f(self, x: np.ndarray) -> np.ndarray:
        """The generating function at each row of ``x`` (numeric columns, in order)."""
        t, xi = self.truth, np.atleast_2d(x)[:, : self._k]
        p = t.params
        if t.shape == "linear":
            return np.asarray(xi @ p["coefficients"])
        if t.shape == "sine":
            return np.asarray(np.sin(xi * p["frequencies"]) @ p["amplitudes"])
        if t.shape == "interaction":
            out = xi @ p["coefficients"]
            for (i, j), g in zip(p["pairs"], p["pair_coefficients"], strict=True):
                out = out + g * xi[:, i] * xi[:, j]
            return np.asarray(out)
        return np.asarray(
            10 * np.sin(np.pi * xi[:, 0] * xi[:, 1])
            + 20 * (xi[:, 2] - 0.5) ** 2
            + 10 * xi[:, 3]
            + 5 * xi[:, 4]
        )

    def _block(self, seed: np.random.SeedSequence, n: int, with_truth: bool) -> pd.DataFrame:
        t = self.truth
        feats = stream(seed, _FEATURES)
        size = (n, len(self._numeric))
        x = feats.random(size) if t.shape == "friedman1" else feats.standard_normal(size)
        y_clean = self.f(x)
        codes: dict[str, np.ndarray] = {}
        if t.levels:
            lv = stream(seed, _LEVELS).random((n, len(t.levels)))
            for j, (name, levels) in enumerate(t.levels.items()):
                codes[name] = (lv[:, j] * len(levels)).astype(np.int64)
                y_clean = y_clean + t.categorical_effects[name][codes[name]]
        y = y_clean + t.noise_sd * stream(seed, _NOISE).standard_normal(n)
        matrix = np.ascontiguousarray(x.T)
        masks: dict[str, np.ndarray] = {}
        miss = t.missing
        if miss.share > 0:
            columns: dict[str, np.ndarray] = {**dict(zip(self._numeric, matrix, strict=True))}
            columns.update(codes)
            need = [miss.driver] if miss.mechanism == "mar" else list(columns)
            need = [] if miss.mechanism == "mcar" else need
            cdfs = {name: self._cdf(name, columns[name]) for name in need if name is not None}
            rng = stream(seed, _MISSING)
            masks = apply_missing(columns, cdfs, miss.share, miss.mechanism, rng)
        categorical = {name: (codes[name], t.levels[name]) for name in t.levels}
        extra = {t.target: y}
        if with_truth:
            extra["y_clean"] = y_clean
        return frame(self._numeric, matrix, categorical, masks, extra)

    def _cdf(self, name: str, values: np.ndarray) -> np.ndarray:
        if name in self.truth.levels:
            return (values + 0.5) / len(self.truth.levels[name])
        if self.truth.shape == "friedman1":
            return values
        return np.asarray(ndtr(values), dtype=np.float64)


def regression(
    *,
    n_features: int = 20,
    n_informative: int = 5,
    noise: float = 0.1,
    shape: str = "linear",
    n_categorical: int = 0,
    n_levels: int = 4,
    missing: float = 0.0,
    missing_mechanism: str = "mcar",
    seed: SeedLike = None,
) -> RegressionTask:
    """A regression task with known truth; its truth is drawn once from ``seed``.

    Numeric columns ``x0 ..`` are standard normal (uniform on [0, 1] for friedman1); the first
    ``n_informative`` enter ``f``, the rest are noise. Shapes (coefficients ``b``, ``a``, ``g``
    of magnitude 0.5 .. 2 with random signs, frequencies ``w`` in 0.5 .. 2):

    - linear: ``f = sum b_j x_j`` (``params["coefficients"]`` are the partial derivatives);
    - sine: ``f = sum a_j sin(w_j x_j)``;
    - interaction: ``f = sum b_j x_j + sum g_p x_i x_j`` over pairs ``(0, 1), (2, 3), ..``;
    - friedman1: ``10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4`` (needs 5 informative).

    Categorical columns ``c0 ..`` (uniform levels) add a centred effect per level. ``noise`` is
    the share of the target's variance that is noise, so ``y_clean`` explains ``1 - noise`` of
    it (``R^2``); ``truth.noise_sd`` is the resulting standard deviation. Partial derivatives of
    ``f`` come from ``task.truth.gradient(X)``.

    Examples
    --------
    >>> task = regression(n_features=3, n_informative=2, noise=0.2, seed=0)
    >>> task.sample(2, seed=1, with_truth=True).columns.tolist()
    ['x0', 'x1', 'x2', 'y', 'y_clean']
    """
    n_feat = check_count("n_features", n_features, 1)
    n_inf = check_count("n_informative", n_informative, 1)
    n_cat = check_count("n_categorical", n_categorical)
    n_lev = check_count("n_levels", n_levels, 2)
    if n_inf > n_feat:
        raise UserInputError(f"n_informative ({n_inf}) must be at most n_features ({n_feat})")
    if shape not in SHAPES:
        raise UserInputError(f"shape must be one of {', '.join(SHAPES)}, got {shape!r}")
    if shape == "friedman1" and n_inf != 5:
        raise UserInputError(f"shape 'friedman1' uses 5 informative columns, got {n_inf}")
    share_noise = check_share("noise", noise)
    share, mechanism = check_missing(missing, missing_mechanism)

    rng = check_rng(seed)
    names = [f"x{i}" for i in range(n_feat)]
    roles = {name: "informative" if i < n_inf else "noise" for i, name in enumerate(names)}
    xs = [f"x{i}" for i in range(n_inf)]
    params: dict[str, np.ndarray] = {}
    if shape == "linear":
        params["coefficients"] = _signs(rng, n_inf)
        variance = float(np.sum(params["coefficients"] ** 2))
        formula = " + ".join(
            f"{b:.6g}*{x}" for b, x in zip(params["coefficients"], xs, strict=True)
        )
    elif shape == "sine":
        a, w = _signs(rng, n_inf), rng.uniform(0.5, 2.0, n_inf)
        params.update(amplitudes=a, frequencies=w)
        variance = float(np.sum(a**2 * (1 - np.exp(-2 * w**2)) / 2))
        formula = " + ".join(
            f"{ai:.6g}*sin({wi:.6g}*{x})" for ai, wi, x in zip(a, w, xs, strict=True)
        )
    elif shape == "interaction":
        b = _signs(rng, n_inf)
        pairs = np.array([(i, i + 1) for i in range(0, n_inf - 1, 2)], dtype=np.int64)
        g = _signs(rng, len(pairs))
        params.update(coefficients=b, pairs=pairs.reshape(-1, 2), pair_coefficients=g)
        variance = float(np.sum(b**2) + np.sum(g**2))
        terms = [f"{bi:.6g}*{x}" for bi, x in zip(b, xs, strict=True)]
        terms += [f"{gi:.6g}*x{i}*x{j}" for (i, j), gi in zip(pairs, g, strict=True)]
        formula = " + ".join(terms)
    else:
        variance = _friedman_variance()
        formula = "10*sin(pi*x0*x1) + 20*(x2 - 0.5)**2 + 10*x3 + 5*x4"
    cats = [f"c{i}" for i in range(n_cat)]
    roles.update({c: "categorical" for c in cats})
    levels = {c: tuple(f"L{j}" for j in range(n_lev)) for c in cats}
    effects = {}
    for c in cats:
        e = rng.normal(0.0, 1.0, n_lev)
        effects[c] = e - e.mean()
        variance += float(np.mean(effects[c] ** 2))
    features = list(roles)
    masked = tuple(features[1:] if mechanism == "mar" else features) if share > 0 else ()
    truth = RegressionTruth(
        roles=roles,
        shape=shape,
        formula=formula,
        params=params,
        levels=levels,
        categorical_effects=effects,
        signal_variance=variance,
        noise=share_noise,
        noise_sd=float(np.sqrt(variance * share_noise / (1.0 - share_noise))),
        missing=MissingTruth(share, mechanism, features[0] if mechanism == "mar" else None, masked),
    )
    return RegressionTask(truth)
