"""Column pair trends: how well the synthetic table keeps the relation of every pair of columns.

As in SDMetrics' QualityReport before 0.27, with no correlation threshold (all pairs count):
two numeric columns (numbers or datetimes) score ``1 - |r_real - r_syn| / 2`` with Pearson's r;
any other pair scores ``1 - TVD`` of the normalised 2-D contingency tables, numbers cut into 10
equal-width bins computed on the real column with open outer edges. Missing values are deleted
pairwise. Pearson's r of all numeric pairs comes from a few matrix products (vectorised).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.evaluation._encode import (
    Encoded,
    FloatArray,
    IntArray,
    Schema,
    check_frame,
    encode_frames,
)
from synthcraft.evaluation._result import MetricResult
from synthcraft.metadata import Metadata

__all__ = [
    "PairScore",
    "TrendView",
    "bin_edges",
    "column_pair_trends",
    "pair_scores",
    "pair_scores_from",
    "pairwise_pearson",
    "summarise_pairs",
    "trend_view",
]

N_BINS = 10
"""Equal-width bins of a numeric column in a contingency table."""
_DENSE_CELLS = 1 << 16


@dataclass(frozen=True)
class PairScore:
    """The trend score of one pair, with Pearson's r on both sides for numeric pairs."""

    first: str
    second: str
    metric: str
    score: float
    real: float = math.nan
    synthetic: float = math.nan


def pairwise_pearson(x: FloatArray) -> FloatArray:
    """Pearson's r of every pair of columns of ``x`` with pairwise deletion of NaN.

    Entries are NaN where fewer than two rows hold both values or a column is constant on them.
    """
    present = ~np.isnan(x)
    m = present.astype(float)
    n = m.T @ m
    with np.errstate(invalid="ignore", divide="ignore"):
        counts = present.sum(axis=0)
        mean = np.where(counts > 0, np.nansum(x, axis=0) / np.maximum(counts, 1), 0.0)
        xc = np.where(present, x - mean, 0.0)
        sx = xc.T @ m  # sx[i, j]: sum of column i over rows holding both i and j
        sxx = (xc * xc).T @ m
        sxy = xc.T @ xc
        cov = sxy - sx * sx.T / n
        var = sxx - sx * sx / n
        scale = np.nanmax(np.abs(np.where(present, x, 0.0)), axis=0, initial=0.0)
        tol = n * (1e-12 * scale[:, None]) ** 2
        ok = (n >= 2) & (var > tol) & (var.T > tol.T)
        r = np.where(ok, cov / np.sqrt(np.where(ok, var * var.T, 1.0)), np.nan)
    return np.clip(r, -1.0, 1.0)


def bin_edges(schema: Schema, real: Encoded) -> list[FloatArray]:
    """Edges of :data:`N_BINS` equal-width bins of each numeric column of ``real`` (outer open)."""
    out = []
    for j in range(len(schema.numeric)):
        finite = real.numbers[:, j][~np.isnan(real.numbers[:, j])]
        edges = np.histogram_bin_edges(finite if finite.size else np.zeros(1), bins=N_BINS)
        edges[0], edges[-1] = -np.inf, np.inf
        out.append(edges)
    return out


@dataclass(frozen=True)
class TrendView:
    """One frame ready for pair trends: its numbers, Pearson's r and contingency codes.

    ``codes`` has one column per evaluable column in table order: category codes, or bin numbers
    of numbers (bins from the real frame); a missing value has the code ``levels[k]`` (one past
    the last level), so a table of ``(levels + 1)`` squared cells holds every row.
    """

    numbers: FloatArray
    r: FloatArray
    codes: np.ndarray[Any, np.dtype[np.int32]]
    levels: IntArray

    def take(self, rows: IntArray) -> TrendView:
        """The view of the rows at positions ``rows`` (repeats allowed)."""
        numbers = self.numbers[rows]
        return TrendView(numbers, pairwise_pearson(numbers), self.codes[rows], self.levels)


def trend_view(schema: Schema, data: Encoded, edges: list[FloatArray]) -> TrendView:
    """Prepare ``data`` with the real frame's bin ``edges`` (see :func:`bin_edges`)."""
    codes = np.empty((len(data), len(schema.columns)), np.int32)
    levels = np.empty(len(schema.columns), np.int64)
    for k, name in enumerate(schema.columns):
        if schema.is_numeric(name):
            j = schema.numeric.index(name)
            x = data.numbers[:, j]
            levels[k] = N_BINS
            codes[:, k] = np.where(np.isnan(x), N_BINS, np.digitize(x, edges[j]) - 1)
        else:
            j = schema.categorical.index(name)
            levels[k] = len(schema.levels[j])
            c = data.codes[:, j]
            codes[:, k] = np.where(c < 0, levels[k], c)
    return TrendView(data.numbers, pairwise_pearson(data.numbers), codes, levels)


@dataclass(frozen=True)
class _Block:
    """Contingency tables of column ``i`` with each column of ``js``, laid end to end."""

    i: int
    js: list[int]
    width: np.ndarray[Any, np.dtype[np.int32]]  # cells per row of each table: levels + 1 of j
    offsets: np.ndarray[Any, np.dtype[np.int32]]
    valid: np.ndarray[Any, np.dtype[np.bool_]]  # cells where neither value is missing
    total: int


def _plan(levels: IntArray, numeric: list[bool]) -> tuple[list[_Block], list[tuple[int, int]]]:
    """Dense blocks of contingency pairs, and the pairs too large for a dense table."""
    blocks, sparse = [], []
    for i in range(len(levels)):
        js = []
        for j in range(i + 1, len(levels)):
            if numeric[i] and numeric[j]:
                continue
            if (levels[i] + 1) * (levels[j] + 1) <= _DENSE_CELLS:
                js.append(j)
            else:
                sparse.append((i, j))
        if not js:
            continue
        width = (levels[js] + 1).astype(np.int32)
        sizes = (levels[i] + 1) * width
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
        rows_ok = np.arange(levels[i] + 1) < levels[i]
        valid = np.concatenate([(rows_ok[:, None] & (np.arange(w) < w - 1)).ravel() for w in width])
        blocks.append(_Block(i, js, width, offsets, valid, int(sizes.sum())))
    return blocks, sparse


def _block_tvd(real: TrendView, other: TrendView, block: _Block) -> FloatArray:
    """TVD of the contingency tables of one block, missing values deleted pairwise."""
    counts = []
    for view in (real, other):
        keys = view.codes[:, [block.i]] * block.width + block.offsets + view.codes[:, block.js]
        counts.append(np.bincount(keys.ravel(), minlength=block.total) * block.valid)
    n_real = np.add.reduceat(counts[0], block.offsets)
    n_other = np.add.reduceat(counts[1], block.offsets)
    sizes = np.diff(np.append(block.offsets, block.total))
    p = counts[0] / np.repeat(np.maximum(n_real, 1), sizes)
    q = counts[1] / np.repeat(np.maximum(n_other, 1), sizes)
    tvd = 0.5 * np.add.reduceat(np.abs(p - q), block.offsets)
    return np.where((n_real == 0) | (n_other == 0), np.nan, tvd)


def _sparse_tvd(real: TrendView, other: TrendView, i: int, j: int) -> float:
    """TVD of one pair with too many cells for a dense table (only seen cells are counted)."""
    keys = []
    for view in (real, other):
        a, b = view.codes[:, i].astype(np.int64), view.codes[:, j].astype(np.int64)
        keep = (a < view.levels[i]) & (b < view.levels[j])
        keys.append(a[keep] * (view.levels[j] + 1) + b[keep])
    if keys[0].size == 0 or keys[1].size == 0:
        return math.nan
    _, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    cells = int(inverse.max()) + 1
    p = np.bincount(inverse[: keys[0].size], minlength=cells) / keys[0].size
    q = np.bincount(inverse[keys[0].size :], minlength=cells) / keys[1].size
    return float(0.5 * np.abs(p - q).sum())


def pair_scores_from(schema: Schema, real: TrendView, other: TrendView) -> list[PairScore]:
    """Trend scores of every pair of evaluable columns, in table order."""
    cols = schema.columns
    numeric = [schema.is_numeric(c) for c in cols]
    blocks, sparse = _plan(real.levels, numeric)
    tvd: dict[tuple[int, int], float] = {}
    for block in blocks:
        for j, value in zip(block.js, _block_tvd(real, other, block).tolist(), strict=True):
            tvd[block.i, j] = value
    for i, j in sparse:
        tvd[i, j] = _sparse_tvd(real, other, i, j)
    position = {c: schema.numeric.index(c) for c in schema.numeric}
    out: list[PairScore] = []
    for i, first in enumerate(cols):
        for j in range(i + 1, len(cols)):
            second = cols[j]
            if numeric[i] and numeric[j]:
                p, q = position[first], position[second]
                rr, ro = float(real.r[p, q]), float(other.r[p, q])
                out.append(PairScore(first, second, "pearson", 1.0 - abs(rr - ro) / 2.0, rr, ro))
            else:
                out.append(PairScore(first, second, "contingency", 1.0 - tvd[i, j]))
    return out


def pair_scores(schema: Schema, real: Encoded, synthetic: Encoded) -> list[PairScore]:
    """Trend scores of every pair of evaluable columns of ``real`` and ``synthetic``."""
    edges = bin_edges(schema, real)
    return pair_scores_from(
        schema, trend_view(schema, real, edges), trend_view(schema, synthetic, edges)
    )


def _num(value: float) -> float | None:
    return value if math.isfinite(value) else None


def summarise_pairs(schema: Schema, pairs: list[PairScore]) -> MetricResult:
    """The column-pair-trends :class:`MetricResult` from pair scores."""
    finite = [p.score for p in pairs if math.isfinite(p.score)]
    details: dict[str, Any] = {
        "columns": list(schema.columns),
        "pairs": [
            {
                "columns": [p.first, p.second],
                "metric": p.metric,
                "score": _num(p.score),
                "real": _num(p.real),
                "synthetic": _num(p.synthetic),
            }
            for p in pairs
        ],
        "n_pairs": len(finite),
        "n_skipped": len(pairs) - len(finite),
    }
    score = float(np.mean(finite)) if finite else math.nan
    if not finite:
        details["reason"] = "no pair of columns with values on both sides"
    return MetricResult("column_pair_trends", score, "maximize", (0.0, 1.0), details)


def column_pair_trends(
    real: pd.DataFrame, synthetic: pd.DataFrame, metadata: Metadata
) -> MetricResult:
    """Mean trend score over all pairs of columns (see the module docstring).

    Examples
    --------
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> md = Metadata((Column("x", ColumnKind.FLOAT), Column("y", ColumnKind.FLOAT)))
    >>> real = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    >>> syn = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [3.0, 2.0, 1.0]})
    >>> column_pair_trends(real, syn, md).score
    0.0
    """
    check_frame(real, "real table", metadata)
    check_frame(synthetic, "synthetic table", metadata)
    schema, (a, b) = encode_frames(metadata, [real, synthetic])
    return summarise_pairs(schema, pair_scores(schema, a, b))
