"""One-column distributions as fast lookup tables, shared by the models.

A numeric marginal is a table of values at the fixed, evenly spaced normal scores
:data:`Z_GRID` (4,097 points from -6 to 6): sampling a value is a constant-time linear
interpolation at ``z`` (:func:`lookup`), no search and no scipy call per row. Tables are clipped
to the stored (privatised) bounds, so they never hold the exact extremes of the training data. A
categorical marginal is its category probabilities, turned into cut points on the normal scale
(and a code per grid point, so most scores need no search either).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special

__all__ = [
    "U_GRID",
    "Z_GRID",
    "category_codes",
    "category_cuts",
    "category_grid",
    "category_probs",
    "empirical_table",
    "lookup",
    "score_interval",
]

F64 = npt.NDArray[np.float64]


Z_MAX = 6.0
GRID_POINTS = 4_097
Z_GRID: F64 = np.linspace(-Z_MAX, Z_MAX, GRID_POINTS)
"""Normal scores of the table points; a table holds one value per score."""

U_GRID: F64 = np.asarray(special.ndtr(Z_GRID), dtype=np.float64)
"""Probabilities of the table points (from about 1e-9 to 1 - 1e-9)."""

_STEP = 2.0 * Z_MAX / (GRID_POINTS - 1)


def empirical_table(values: F64, lo: float, hi: float, k: int = 5) -> F64:
    """Smoothed empirical inverse CDF at :data:`U_GRID`, clipped to ``[lo, hi]``.

    Each table value is the mean of the ``k`` order statistics around its quantile (a moving
    average of the sorted values), so no table value is, or can be solved back to, a single
    training value; between table points sampling interpolates linearly.
    """
    ordered = np.sort(np.clip(values, lo, hi))
    size = ordered.size
    width = int(min(max(k, 1), size))
    sums = np.concatenate([[0.0], np.cumsum(ordered)])
    means = (sums[width:] - sums[:-width]) / width  # mean of ordered[i : i + width]
    centre = U_GRID * (size - 1) - (width - 1) / 2.0
    pos = np.clip(centre, 0.0, means.size - 1.0)
    below = np.floor(pos).astype(np.intp)
    above = np.minimum(below + 1, means.size - 1)
    table = means[below] + (pos - below) * (means[above] - means[below])
    return np.maximum.accumulate(np.clip(table, lo, hi))


def lookup(z: F64, table: F64) -> F64:
    """Values for normal scores ``z`` (scores beyond the grid give the end values)."""
    pos = (z + Z_MAX) * (1.0 / _STEP)
    np.clip(pos, 0.0, GRID_POINTS - 1.0, out=pos)
    index = pos.astype(np.intp)
    np.minimum(index, GRID_POINTS - 2, out=index)
    pos -= index
    left = table[index]
    out: F64 = left + pos * (table[index + 1] - left)
    return out


def category_probs(codes: npt.NDArray[np.int64], n_categories: int) -> F64:
    """Frequencies of codes ``0 .. n-1`` (negative codes, missing or pooled, are left out)."""
    counts = np.bincount(codes[codes >= 0], minlength=n_categories)[:n_categories]
    total = counts.sum()
    if total == 0:
        return np.full(n_categories, 1.0 / max(n_categories, 1))
    return np.asarray(counts / total, dtype=np.float64)


def category_cuts(probs: F64) -> F64:
    """Normal-score cut points between categories: code = ``searchsorted(cuts, z)``."""
    cumulative = np.clip(np.cumsum(probs)[:-1], 0.0, 1.0)
    return np.asarray(special.ndtri(cumulative), dtype=np.float64)


def category_grid(cuts: F64) -> npt.NDArray[np.int64]:
    """The category code at each point of :data:`Z_GRID` (for :func:`category_codes`)."""
    return np.searchsorted(cuts, Z_GRID).astype(np.int64)


def category_codes(z: F64, cuts: F64, grid: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Category codes of normal scores ``z``: ``searchsorted(cuts, z)``, mostly by table.

    Scores whose grid cell holds no cut take the code of the cell; only the few in cells
    with a cut (or beyond the grid) are searched.
    """
    pos = (z + Z_MAX) * (1.0 / _STEP)
    np.clip(pos, 0.0, GRID_POINTS - 2.0, out=pos)
    cell = pos.astype(np.intp)
    codes = grid[cell]
    unsure = (codes != grid[cell + 1]) | (np.abs(z) > Z_MAX)
    codes[unsure] = np.searchsorted(cuts, z[unsure])
    return codes


def score_interval(table: F64, low: F64, high: F64) -> tuple[F64, F64]:
    """Normal-score interval mapped by ``table`` onto the value interval ``[low, high]``.

    Flat runs of the table (clipped ends, repeated values) are covered whole; values inside a
    rising segment are interpolated. Ends beyond the table give -inf / +inf.
    """
    size = table.size
    ia = np.searchsorted(table, low, side="left")
    ib = np.searchsorted(table, high, side="right")
    return _interp_at(table, ia, low, -np.inf, size), _interp_at(table, ib, high, np.inf, size)


def _interp_at(table: F64, idx: Any, x: F64, edge: float, size: int) -> F64:
    out = np.full(np.shape(x), edge, dtype=np.float64)
    inner = (idx > 0) & (idx < size)
    i = idx[inner]
    x0, x1 = table[i - 1], table[i]
    z0, z1 = Z_GRID[i - 1], Z_GRID[i]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(x1 > x0, (x[inner] - x0) / (x1 - x0), 0.0)
    out[inner] = z0 + np.clip(t, 0.0, 1.0) * (z1 - z0)
    return out
