"""The empirical ``histogram`` family: parsing, its CDF and quantile function, and drafting one.

A histogram is ``{family: histogram, edges: [e0, ..., ek], weights: [w1, ..., wk]}``: bin ``i``
spans ``[e(i-1), e(i)]`` with probability ``w(i)`` (normalised), uniform inside; a bin whose two
edges are equal is a point mass (an atom, for spikes such as many zeros). Its quantile function is
``np.interp(u, cum, edges)`` over the cumulative weights (atoms are jumps of ``cum`` at one edge),
which serves both the column's own stream and the copula.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from synthcraft._config import Problems, at, join
from synthcraft.errors import SpecError
from synthcraft.spec._model import Distribution, Histogram

__all__ = [
    "HISTOGRAM",
    "MIN_ATOM_SHARE",
    "HistogramQuantile",
    "draft_histogram",
    "histogram_cdf",
    "histogram_distance",
    "histogram_mass",
    "parse_histogram",
]

F64 = npt.NDArray[np.float64]

HISTOGRAM = "histogram"
"""The family name of the empirical distribution."""

MIN_ATOM_SHARE = 0.01
"""A drafted histogram makes a value an atom when at least this share of rows hold it."""

MAX_BINS = 50
"""Most bins between the atoms that a drafted histogram has (edges at quantiles)."""

MIN_BIN_ROWS = 5
"""A drafted bin holds at least this many rows (smaller ones are merged with a neighbour)."""

_U_EPS = 1e-16


# -- parsing ----------------------------------------------------------------------------------


def parse_histogram(problems: Problems, raw: Mapping[str, Any], path: str) -> Distribution | None:
    """A histogram :class:`Distribution` from ``{family: histogram, edges: [...], weights: [...]}``.

    Problems (with paths such as ``...distribution.edges[2]``) are recorded, never raised.
    """
    start = len(problems)
    problems.check_keys(raw, ("family", "edges", "weights"), path)
    edges = _numbers(problems, problems.required(raw, "edges", path), join(path, "edges"), 2)
    weights = _numbers(problems, problems.required(raw, "weights", path), join(path, "weights"), 1)
    if edges is not None:
        for i in range(1, len(edges)):
            if edges[i] < edges[i - 1]:
                problems.add(
                    at(join(path, "edges"), i),
                    f"edges must not decrease, got {edges[i]:g} after {edges[i - 1]:g}",
                )
                break
    if weights is not None:
        for i, w in enumerate(weights):
            if w < 0:
                problems.add(at(join(path, "weights"), i), f"must be >= 0, got {w:g}")
        if all(w >= 0 for w in weights) and sum(weights) <= 0:
            problems.add(join(path, "weights"), "weights must not all be 0")
    if edges is not None and weights is not None and len(edges) != len(weights) + 1:
        problems.add(
            join(path, "weights"),
            f"needs one weight per bin: {len(edges) - 1} for {len(edges)} edges, "
            f"got {len(weights)}",
        )
    if len(problems) > start or edges is None or weights is None:
        return None
    total = math.fsum(weights)
    hist = Histogram(tuple(edges), tuple(w / total for w in weights))
    return Distribution(family=HISTOGRAM, params={}, histogram=hist)


def _numbers(problems: Problems, value: Any, path: str, least: int) -> list[float] | None:
    if value is None:
        return None
    items = problems.sequence(value, path)
    if items is None:
        return None
    if len(items) < least:
        problems.add(path, f"must be a list of at least {least} numbers, got {len(items)}")
        return None
    numbers = [problems.number(v, at(path, i)) for i, v in enumerate(items)]
    if any(v is None for v in numbers):
        return None
    return [float(v) for v in numbers if v is not None]


# -- CDF and quantile -----------------------------------------------------------------------


def _parts(hist: Histogram) -> tuple[F64, F64, F64, F64]:
    """``(xs, cs, atoms, atom_cum)``: the continuous CDF's knots and the atoms' positions."""
    edges = np.asarray(hist.edges, dtype=np.float64)
    weights = np.asarray(hist.weights, dtype=np.float64)
    point = edges[1:] == edges[:-1]
    spread = np.concatenate([[0.0], np.cumsum(np.where(point, 0.0, weights))])
    xs, first = np.unique(edges, return_index=True)
    atoms = edges[:-1][point]
    atom_cum = np.concatenate([[0.0], np.cumsum(weights[point])])
    return xs, spread[first], atoms, atom_cum


def histogram_cdf(hist: Histogram, x: F64, *, left: bool = False) -> F64:
    """``P(X <= x)`` (or ``P(X < x)`` when ``left``) under the histogram."""
    xs, cs, atoms, atom_cum = _parts(hist)
    x = np.asarray(x, dtype=np.float64)
    spread = np.interp(x, xs, cs) if len(xs) > 1 else np.where(x >= xs[0], cs[0], 0.0)
    index = np.searchsorted(atoms, x, side="left" if left else "right")
    out: F64 = np.clip(spread + atom_cum[index], 0.0, 1.0)
    return out


def histogram_mass(hist: Histogram, low: float | None, high: float | None) -> float:
    """Probability of ``[low, high]`` (None = unbounded)."""
    lo = 0.0 if low is None else float(histogram_cdf(hist, np.array([low]), left=True)[0])
    hi = 1.0 if high is None else float(histogram_cdf(hist, np.array([high]))[0])
    return max(hi - lo, 0.0)


class HistogramQuantile:
    """The quantile function of a histogram truncated to ``[low, high]``: ``u in [0, 1) -> x``.

    Examples
    --------
    >>> h = Histogram((0.0, 0.0, 1.0), (0.5, 0.5))
    >>> HistogramQuantile(h, None, None, path="x")(np.array([0.25, 0.75])).tolist()
    [0.0, 0.5]
    """

    discrete = False

    def __init__(self, hist: Histogram, low: float | None, high: float | None, *, path: str):
        self.hist, self.low, self.high = hist, low, high
        self.cum = np.concatenate([[0.0], np.cumsum(hist.weights)])
        self.cum /= self.cum[-1]
        self.edges = np.asarray(hist.edges, dtype=np.float64)
        self.a = 0.0 if low is None else float(histogram_cdf(hist, np.array([low]), left=True)[0])
        self.b = 1.0 if high is None else float(histogram_cdf(hist, np.array([high]))[0])
        self.mass = self.b - self.a
        if not self.mass > 0:
            raise SpecError(
                [
                    f"{path}.truncate: [{low}, {high}] leaves no probability under the histogram; "
                    "widen the bounds"
                ]
            )

    def __call__(self, u: F64) -> F64:
        """Values at uniforms ``u`` (within the truncation bounds)."""
        t = self.a + np.clip(u, 0.0, 1.0 - _U_EPS) * self.mass
        x: F64 = np.interp(t, self.cum, self.edges)
        if self.low is not None or self.high is not None:
            x = np.clip(x, self.low, self.high)
        return x

    def to_uniform(self, x: F64, rng: np.random.Generator) -> F64:
        """The uniforms that give ``x`` (random within an atom's step; NaN for NaN)."""
        lo = histogram_cdf(self.hist, x, left=True)
        hi = histogram_cdf(self.hist, x)
        t = (lo + rng.random(len(x)) * (hi - lo) - self.a) / self.mass
        out: F64 = np.where(np.isnan(x), np.nan, np.clip(t, 0.0, 1.0))
        return out


# -- drafting -------------------------------------------------------------------------------


def _sig(value: float) -> float:
    return float(f"{value:.6g}")


def draft_histogram(x: F64, low: float, high: float, step: float) -> Histogram:
    """A privatised histogram of the sample ``x`` within the bounds ``[low, high]``.

    Values held by at least :data:`MIN_ATOM_SHARE` of the rows (and :data:`MIN_BIN_ROWS` rows)
    become atoms; the others fill up to :data:`MAX_BINS` bins with edges at their quantiles,
    merged until each holds :data:`MIN_BIN_ROWS` rows. The outer edges are the bounds (half a
    grid ``step`` beyond them, so rounding to the grid keeps the end values' share): no extreme
    value of ``x`` is written.
    """
    half = step / 2
    lo, hi = low - half, high + half
    x = np.clip(x[np.isfinite(x)], low, high)
    values, counts = np.unique(x, return_counts=True)
    spike = counts >= max(MIN_ATOM_SHARE * x.size, MIN_BIN_ROWS)
    atoms = values[spike]
    rest = x[~np.isin(x, atoms)]
    n_bins = int(min(MAX_BINS, max(1, rest.size // (4 * MIN_BIN_ROWS))))
    inner = np.quantile(rest, np.linspace(0, 1, n_bins + 1)[1:-1]) if rest.size else np.empty(0)
    if step > 0:
        inner = np.floor(inner / step) * step + half
    cuts = np.unique(np.concatenate([[lo, hi], [_sig(v) for v in inner], atoms]))
    cuts = cuts[(cuts >= lo) & (cuts <= hi)]
    bins: list[tuple[float, float, float]] = []  # (left, right, rows); an atom has left == right
    where = np.searchsorted(cuts, rest, side="right") - 1
    rows = np.bincount(np.clip(where, 0, len(cuts) - 2), minlength=len(cuts) - 1)
    atom_rows = dict(zip(atoms.tolist(), counts[spike].tolist(), strict=True))
    segment: list[list[float]] = []
    for i in range(len(cuts) - 1):
        left, right = float(cuts[i]), float(cuts[i + 1])
        if left in atom_rows:
            bins += _merged(segment)
            segment = []
            bins.append((left, left, float(atom_rows[left])))
        segment.append([left, right, float(rows[i])])
    bins += _merged(segment)
    last = float(cuts[-1])
    if last in atom_rows:
        bins.append((last, last, float(atom_rows[last])))
    total = sum(b[2] for b in bins)
    edges = [bins[0][0], *(b[1] for b in bins)]
    weights = [_sig(b[2] / total) for b in bins]
    return Histogram(tuple(_sig(e) for e in edges), tuple(weights))


def _merged(segment: list[list[float]]) -> list[tuple[float, float, float]]:
    """Adjacent bins of one segment (between atoms) merged until each holds enough rows."""
    out: list[list[float]] = []
    for left, right, rows in segment:
        if out and out[-1][2] < MIN_BIN_ROWS:
            out[-1][1], out[-1][2] = right, out[-1][2] + rows
        else:
            out.append([left, right, rows])
    if len(out) > 1 and out[-1][2] < MIN_BIN_ROWS:
        last = out.pop()
        out[-1][1], out[-1][2] = last[1], out[-1][2] + last[2]
    if len(out) == 1 and out[0][2] < MIN_BIN_ROWS:
        out[0][2] = 0.0  # too few rows to say where they lie: no weight
    return [(a, b, c) for a, b, c in out]


def histogram_distance(hist: Histogram, x: F64, step: float = 0.0) -> float:
    """KS distance between the sample ``x`` and values drawn from ``hist`` rounded to the grid
    ``step`` (0: not rounded)."""
    values, counts = np.unique(x, return_counts=True)
    at_value = np.cumsum(counts) / x.size
    before = at_value - counts / x.size
    if step > 0:
        model_at = histogram_cdf(hist, values + step / 2)
        model_before = histogram_cdf(hist, values - step / 2)
    else:
        model_at = histogram_cdf(hist, values)
        model_before = histogram_cdf(hist, values, left=True)
    return float(max(np.abs(at_value - model_at).max(), np.abs(before - model_before).max()))
