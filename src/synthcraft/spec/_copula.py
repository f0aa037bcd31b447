"""Gaussian copula for a spec's correlation blocks: Spearman matrix in, uniforms out.

A correlation block names columns and their Spearman rank correlations. The matrix is turned into
the Pearson correlation of a Gaussian (``2 sin(pi rho / 6)``, exact for normal scores), repaired
to the nearest valid correlation matrix when needed (eigenvalues clipped, unit diagonal
restored), and factored once. Each block of rows draws ``Z ~ N(0, R)`` and hands ``u = Phi(Z)``
to every column's quantile function, so the marginals stay exactly as declared while the ranks
are correlated.

Fixed values (conditions) are honoured exactly: their normal scores are given, and the other
columns are drawn from the Gaussian conditional ``N(S_rf S_ff^-1 z_f, S_rr - S_rf S_ff^-1 S_fr)``,
row pattern by row pattern (a cell that is not given is drawn like any other).

:class:`Quantile` is the other half: a column's (truncated) quantile function, which turns
uniforms (from the copula or the column's own stream) into values. It uses the closed-form
``ppf`` where scipy has a fast one, a dense table of the quantile function in normal-score space
for the other continuous families (relative error below 1e-5; scipy's ``ppf`` of e.g. gamma or
beta is 10-30x slower), and an exact cumulative table for discrete families. The empirical
``histogram`` family uses :class:`~synthcraft.spec._histogram.HistogramQuantile` instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
from scipy import special, stats

from synthcraft.errors import SpecError
from synthcraft.spec._columns import (
    BlockState,
    Drawer,
    IntArray,
    Key,
    coerce,
    formula_input,
    missing_values,
    rows_of,
    stream,
)
from synthcraft.spec._histogram import HistogramQuantile
from synthcraft.spec._model import (
    BooleanGen,
    CategoricalGen,
    ConstantGen,
    Distribution,
    DistributionGen,
    Dtype,
)

__all__ = [
    "BooleanDrawer",
    "CategoricalDrawer",
    "ConstantDrawer",
    "DistributionDrawer",
    "GaussianCopula",
    "Quantile",
    "frozen",
    "nearest_correlation",
    "normal_scores",
    "spearman_to_pearson",
    "step_index",
]

FloatArray = npt.NDArray[np.float64]

_EIGEN_FLOOR = 1e-10
_Z_LIMIT = 8.2  # |z| beyond this is clipped: Phi(-8.2) ~ 1e-16, below float resolution of u


_FAST_PPF_NAMES = (
    "norm uniform expon lognorm logistic laplace cauchy weibull_min weibull_max pareto "
    "lomax gumbel_r gumbel_l halfnorm rayleigh triang loguniform genpareto"
)
_FAST_PPF = frozenset(_FAST_PPF_NAMES.split())
"""Continuous families whose ``ppf`` is closed-form (the others use a quantile table)."""

_RVS_NAMES = (
    "norm lognorm expon gamma beta uniform t chi2 chi laplace logistic weibull_min "
    "weibull_max pareto lomax cauchy halfnorm rayleigh gumbel_r gumbel_l triang f invgamma "
    "invgauss wald maxwell erlang loguniform genextreme poisson binom nbinom geom randint "
    "bernoulli hypergeom zipf logser"
)
_RVS = frozenset(_RVS_NAMES.split())
"""Families whose ``rvs`` is exact, fast and prefix-stable (checked by the tests)."""


_Z = np.linspace(-8.2, 8.2, 4_097)
_DISCRETE_SPAN = 2_000_000
_U_EPS = 1e-16


def step_index(edges: FloatArray, u: FloatArray, *, right: bool) -> npt.NDArray[np.intp]:
    """Index of the step of increasing ``edges`` that holds each ``u`` (clipped to the last).

    ``right=False`` gives the first edge ``>= u`` (a quantile of a CDF table), ``right=True``
    the first edge ``> u``. Few edges are counted (fast), many are searched.
    """
    if len(edges) > 64:
        side: Literal["left", "right"] = "right" if right else "left"
        return np.minimum(np.searchsorted(edges, u, side=side), len(edges) - 1)
    index: npt.NDArray[Any] = np.zeros(len(u), dtype=np.int8)
    for edge in edges[:-1]:
        index += (u >= edge) if right else (u > edge)
    return index.astype(np.intp)


def spearman_to_pearson(matrix: Sequence[Sequence[float]] | FloatArray) -> FloatArray:
    """The Gaussian (Pearson) correlation whose normal scores have Spearman ``matrix``.

    Examples
    --------
    >>> spearman_to_pearson([[1, 0.5], [0.5, 1]]).round(4).tolist()
    [[1.0, 0.5176], [0.5176, 1.0]]
    """
    rho = np.asarray(matrix, dtype=np.float64)
    out: FloatArray = 2.0 * np.sin(np.pi * rho / 6.0)
    np.fill_diagonal(out, 1.0)
    return out


def nearest_correlation(matrix: FloatArray) -> FloatArray:
    """``matrix`` if it is positive definite, else its eigenvalues clipped and diagonal reset to 1.

    Examples
    --------
    >>> m = nearest_correlation(np.array([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]]))
    >>> bool(np.all(np.linalg.eigvalsh(m) > 0)), m.diagonal().tolist()
    (True, [1.0, 1.0, 1.0])
    """
    sym: FloatArray = (matrix + matrix.T) / 2.0
    values, vectors = np.linalg.eigh(sym)
    if values.min() > _EIGEN_FLOOR:
        return sym
    fixed = (vectors * np.maximum(values, _EIGEN_FLOOR)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    out: FloatArray = fixed / np.outer(scale, scale)
    np.fill_diagonal(out, 1.0)
    return out


def _factor(cov: FloatArray) -> FloatArray:
    """A lower-triangular ``L`` with ``L @ L.T ~= cov`` (PSD-safe)."""
    if cov.size == 0:
        return cov
    try:
        lower: FloatArray = np.linalg.cholesky(cov).astype(np.float64, copy=False)
        return lower
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh((cov + cov.T) / 2.0)
        root: FloatArray = vectors * np.sqrt(np.maximum(values, 0.0))
        return root  # a square root (not triangular), which is all the sampler needs


class GaussianCopula:
    """A Gaussian copula over ``k`` columns from a Spearman rank-correlation matrix.

    Parameters
    ----------
    spearman : sequence of sequences of float
        The ``k x k`` Spearman matrix (symmetric, unit diagonal).

    Examples
    --------
    >>> cop = GaussianCopula([[1, 0.6], [0.6, 1]])
    >>> u = cop.uniforms(np.random.default_rng(0), 20_000)
    >>> from scipy.stats import spearmanr
    >>> round(float(spearmanr(u[:, 0], u[:, 1]).statistic), 1)
    0.6
    """

    def __init__(self, spearman: Sequence[Sequence[float]] | FloatArray) -> None:
        self.corr = nearest_correlation(spearman_to_pearson(spearman))
        self.k = self.corr.shape[0]
        self._root = _factor(self.corr)

    def normals(
        self,
        rng: np.random.Generator,
        n: int,
        fixed: FloatArray | None = None,
    ) -> FloatArray:
        """``n x k`` correlated standard normal scores.

        Standard normals are drawn row by row (``n x k``, so a longer block starts with the
        rows of a shorter one) and correlated. ``fixed`` (``n x k``, NaN where free) gives the
        scores of given cells; the free cells of such rows come from the Gaussian conditional.
        """
        g = rng.standard_normal((n, self.k))
        z: FloatArray = g @ self._root.T
        if fixed is None:
            return z
        given = ~np.isnan(fixed)
        if not given.any():
            return z
        patterns = given @ (1 << np.arange(self.k, dtype=np.int64))
        for pattern in np.unique(patterns[patterns > 0]):
            rows = np.flatnonzero(patterns == pattern)
            f = given[rows[0]]
            z[rows] = self._conditional(g[rows], fixed[rows], f)
        return z

    def _conditional(
        self, g: FloatArray, fixed: FloatArray, f: npt.NDArray[np.bool_]
    ) -> FloatArray:
        out = np.empty_like(g)
        r = ~f
        out[:, f] = np.clip(fixed[:, f], -_Z_LIMIT, _Z_LIMIT)
        if not r.any():
            return out
        s_ff = self.corr[np.ix_(f, f)]
        s_rf = self.corr[np.ix_(r, f)]
        a = s_rf @ np.linalg.pinv(s_ff)
        cov = self.corr[np.ix_(r, r)] - a @ s_rf.T
        out[:, r] = out[:, f] @ a.T + g[:, r] @ _factor(cov).T
        return out

    def uniforms(
        self,
        rng: np.random.Generator,
        n: int,
        fixed: FloatArray | None = None,
    ) -> FloatArray:
        """``n x k`` correlated uniforms ``Phi(Z)`` in the open interval (0, 1)."""
        z = np.clip(self.normals(rng, n, fixed), -_Z_LIMIT, _Z_LIMIT)
        u: FloatArray = special.ndtr(z)
        return u


def normal_scores(u: FloatArray) -> FloatArray:
    """``Phi^-1(u)`` with ``u`` kept off 0 and 1 (NaN stays NaN)."""
    z: FloatArray = special.ndtri(np.clip(u, 1e-16, 1.0 - 1e-16))
    return z


# -- marginals: uniforms to values -----------------------------------------------------


def frozen(dist: Distribution) -> Any:
    """The frozen scipy.stats distribution of ``dist``."""
    return getattr(stats, dist.family)(**dict(dist.params))


def _label(dist: Distribution) -> str:
    args = ", ".join(f"{k}={v:g}" for k, v in dist.params.items())
    return f"{dist.family}({args})"


class Quantile:
    """The quantile function of ``dist`` truncated to ``[low, high]``: ``u in [0, 1) -> x``.

    Examples
    --------
    >>> q = Quantile(Distribution("norm", {"loc": 0.0, "scale": 1.0}), 0.0, None, path="x")
    >>> float(q(np.array([0.5]))[0]).__round__(4)
    0.6745
    """

    def __init__(self, dist: Distribution, low: float | None, high: float | None, *, path: str):
        self.dist, self.low, self.high = dist, low, high
        self.frozen = frozen(dist)
        self.discrete = dist.discrete
        cdf = self.frozen.cdf
        if self.discrete:
            self.a = float(cdf(math.ceil(low) - 1)) if low is not None else 0.0
            self.b = float(cdf(math.floor(high))) if high is not None else 1.0
        else:
            self.a = float(cdf(low)) if low is not None else 0.0
            self.b = float(cdf(high)) if high is not None else 1.0
        self.upper = not self.discrete and self.a > 0.5
        if self.upper:  # work with survival probabilities: exact far in the upper tail
            self.a = float(self.frozen.sf(low))
            self.b = float(self.frozen.sf(high)) if high is not None else 0.0
        self.mass = abs(self.b - self.a)
        if not self.mass > 0:
            raise SpecError(
                [
                    f"{path}.truncate: [{low}, {high}] leaves no probability under {_label(dist)}; "
                    "widen the bounds"
                ]
            )
        self._table: tuple[Any, ...] | None = None

    def _q(self, t: FloatArray) -> FloatArray:
        return self.a - t * self.mass if self.upper else self.a + t * self.mass

    def _inverse(self, q: FloatArray) -> FloatArray:
        x: FloatArray = self.frozen.isf(q) if self.upper else self.frozen.ppf(q)
        return x

    def _build(self) -> tuple[Any, ...]:
        if self.discrete:
            first = self.frozen.ppf(max(self.a, 1e-15)) if self.low is None else math.ceil(self.low)
            last = self.frozen.ppf(min(self.b, 1 - 1e-15)) if self.high is None else self.high
            if not (np.isfinite(first) and np.isfinite(last)) or last - first > _DISCRETE_SPAN:
                return ("ppf",)
            ks = np.arange(math.floor(first), math.floor(last) + 1, dtype=np.float64)
            return ("discrete", ks, self.frozen.cdf(ks))
        if self.dist.family in _FAST_PPF:
            return ("ppf",)
        xs = self._inverse(self._q(special.ndtr(_Z)))
        finite = np.isfinite(xs)
        xs = np.interp(np.arange(len(xs)), np.flatnonzero(finite), xs[finite])
        return ("table", xs)

    def __call__(self, u: FloatArray) -> FloatArray:
        """Values at uniforms ``u`` (within the truncation bounds)."""
        if self._table is None:
            self._table = self._build()
        kind = self._table[0]
        if kind == "discrete":
            ks, cdfs = self._table[1], self._table[2]
            x = ks[step_index(cdfs, self._q(u), right=False)]
        elif kind == "table":
            xs = self._table[1]
            z = special.ndtri(np.clip(u, _U_EPS, 1 - _U_EPS))
            pos = (np.clip(z, _Z[0], _Z[-1]) - _Z[0]) / (_Z[1] - _Z[0])
            i = np.minimum(pos.astype(np.intp), len(_Z) - 2)
            x = xs[i] + (pos - i) * (xs[i + 1] - xs[i])
        else:
            x = self._inverse(self._q(np.clip(u, 0.0, 1.0 - _U_EPS)))
        out: FloatArray = np.clip(x, self.low, self.high) if self._bounded else x
        return out

    @property
    def _bounded(self) -> bool:
        return self.low is not None or self.high is not None

    def to_uniform(self, x: FloatArray, rng: np.random.Generator) -> FloatArray:
        """The uniforms that give ``x`` (random within a discrete value's step; NaN for NaN)."""
        if self.discrete:
            lo = (self.frozen.cdf(x - 1) - self.a) / self.mass
            hi = (self.frozen.cdf(x) - self.a) / self.mass
            t = lo + rng.random(len(x)) * (hi - lo)
        elif self.upper:
            t = (self.a - self.frozen.sf(x)) / self.mass
        else:
            t = (self.frozen.cdf(x) - self.a) / self.mass
        out: FloatArray = np.where(np.isnan(x), np.nan, np.clip(t, 0.0, 1.0))
        return out


# -- marginal drawers: values from uniforms ------------------------------------------------


class DistributionDrawer(Drawer):
    """A scipy.stats distribution, truncated, rounded (``decimals``) or made whole."""

    def __init__(self, gen: DistributionGen, dtype: Dtype, *, path: str) -> None:
        self.gen, self.dtype = gen, dtype
        dist = gen.distribution
        self.quantile: Quantile | HistogramQuantile = (
            Quantile(dist, gen.low, gen.high, path=path)
            if dist.histogram is None
            else HistogramQuantile(dist.histogram, gen.low, gen.high, path=path)
        )
        self.rvs = (
            gen.low is None and gen.high is None and dist.family in _RVS and not dist.discrete
        )
        self.low = gen.low if dtype != "integer" or gen.low is None else math.ceil(gen.low)
        self.high = gen.high if dtype != "integer" or gen.high is None else math.floor(gen.high)

    def draw(
        self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None
    ) -> FloatArray:
        n = rows_of(state, rows)
        rng = stream(state.seed, *key)
        if u is None and self.rvs and isinstance(self.quantile, Quantile):
            x = np.asarray(self.quantile.frozen.rvs(size=n, random_state=rng), dtype=np.float64)
        else:
            x = self.quantile(rng.random(n) if u is None else u)
        return self.finish(x)

    def finish(self, x: FloatArray) -> FloatArray:
        """Rounded to the column's type and decimals, within its bounds."""
        if self.dtype == "integer":
            x = np.rint(x)
        elif self.gen.decimals is not None:
            x = np.round(x, self.gen.decimals)
        if self.low is not None or self.high is not None:
            x = np.clip(x, self.low, self.high)
        return x

    def to_uniform(self, values: Any, rng: np.random.Generator) -> FloatArray:
        return self.quantile.to_uniform(coerce(values, "float"), rng)


class CategoricalDrawer(Drawer):
    """Values drawn with weights: cumulative weights searched with ``u``."""

    def __init__(self, gen: CategoricalGen, dtype: Dtype) -> None:
        self.dtype = dtype
        weights = np.asarray(gen.weights, dtype=np.float64)
        self.cum = np.cumsum(weights / weights.sum())
        self.cum[-1] = 1.0
        self.values = gen.values
        if dtype in ("categorical", "string"):
            self._table: Any = pa.array([str(v) for v in gen.values], type=pa.large_string())
        else:
            self._table = coerce(np.asarray(gen.values), dtype)
        self._index = pd.Index(list(gen.values))

    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        if u is None:
            u = stream(state.seed, *key).random(rows_of(state, rows))
        codes = step_index(self.cum, u, right=True)
        if isinstance(self._table, pa.Array):
            return self._table.take(pa.array(codes))
        return self._table[codes]

    def to_uniform(self, values: Any, rng: np.random.Generator) -> FloatArray:
        codes = self._index.get_indexer(pd.Index(formula_input(values)))
        lo = np.concatenate([[0.0], self.cum])[np.maximum(codes, 0)]
        hi = self.cum[np.maximum(codes, 0)]
        return np.where(codes < 0, np.nan, lo + rng.random(len(codes)) * (hi - lo))


class BooleanDrawer(Drawer):
    """True with probability ``p``: ``u >= 1 - p`` (True for high copula scores)."""

    dtype: Dtype = "boolean"

    def __init__(self, gen: BooleanGen) -> None:
        self.p = float(gen.p)

    def draw(
        self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None
    ) -> npt.NDArray[np.bool_]:
        if u is None:
            u = stream(state.seed, *key).random(rows_of(state, rows))
        out: npt.NDArray[np.bool_] = u >= 1.0 - self.p
        return out

    def to_uniform(self, values: Any, rng: np.random.Generator) -> FloatArray:
        v = coerce(values, "boolean")
        r = rng.random(len(v))
        return np.where(
            np.isnan(v), np.nan, np.where(v > 0.5, 1 - self.p + r * self.p, r * (1 - self.p))
        )


class ConstantDrawer(Drawer):
    """The same value in every row (missing for ``value: null``)."""

    def __init__(self, gen: ConstantGen, dtype: Dtype) -> None:
        self.value, self.dtype = gen.value, dtype

    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        n = rows_of(state, rows)
        if self.value is None:
            return missing_values(self.dtype, n)
        if self.dtype in ("categorical", "string"):
            return pa.array([str(self.value)], type=pa.large_string()).take(
                pa.array(np.zeros(n, dtype=np.int64))
            )
        if self.dtype == "datetime":
            return np.full(n, pd.Timestamp(str(self.value)).as_unit("us").to_datetime64())
        if self.dtype == "boolean":
            return np.full(n, bool(self.value))
        return np.full(n, float(self.value))

    def to_uniform(self, values: Any, rng: np.random.Generator) -> FloatArray:
        return rng.random(len(values))
