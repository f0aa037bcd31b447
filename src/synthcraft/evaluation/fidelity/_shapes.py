"""Column shapes, missing-value similarity and the per-column distributions shown in the report.

Column shapes follow SDMetrics' QualityReport (before 0.27): ``1 - KS`` for numbers and datetimes,
``1 - TVD`` for categories and booleans, missing values dropped per column. The share of missing
values is compared separately (:func:`missing_values`) and never averaged into the shapes score.
"""

from __future__ import annotations

import math
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
from synthcraft.metadata import ColumnKind, Metadata

__all__ = [
    "column_distributions",
    "column_shapes",
    "ks_statistic",
    "missing_values",
    "shape_scores",
    "summarise_shapes",
    "tvd_codes",
]

HIST_BINS = 20
"""Bins of the numeric histograms drawn in the report."""
MAX_BARS = 12
"""Categories drawn per bar chart; the rest are pooled into one bar."""


_KS_DECIMALS = 14


def ks_statistic(a: FloatArray, b: FloatArray) -> float:
    """Two-sample Kolmogorov-Smirnov statistic of two samples without missing values.

    Values are first rounded to 14 decimal places (as SDMetrics' KSComplement does), so that
    floating-point noise such as ``6.904679999999999`` vs ``6.90468`` does not count as a
    difference between distributions.
    """
    a = np.sort(np.round(a, _KS_DECIMALS))
    b = np.sort(np.round(b, _KS_DECIMALS))
    pooled = np.concatenate([a, b])
    cdf_a = np.searchsorted(a, pooled, side="right") / a.size
    cdf_b = np.searchsorted(b, pooled, side="right") / b.size
    return float(np.max(np.abs(cdf_a - cdf_b)))


def tvd_codes(a: IntArray, b: IntArray, n_levels: int) -> float:
    """Total variation distance of two samples of codes ``0 .. n_levels-1`` (no missing)."""
    p = np.bincount(a, minlength=n_levels) / a.size
    q = np.bincount(b, minlength=n_levels) / b.size
    return float(0.5 * np.abs(p - q).sum())


def _column(schema: Schema, data: Encoded, name: str) -> FloatArray | IntArray:
    if schema.is_numeric(name):
        return data.numbers[:, schema.numeric.index(name)]
    return data.codes[:, schema.categorical.index(name)]


def _present(values: FloatArray | IntArray) -> np.ndarray[Any, np.dtype[np.bool_]]:
    if values.dtype.kind == "f":
        return ~np.isnan(values)
    return values >= 0


def shape_scores(schema: Schema, real: Encoded, synthetic: Encoded) -> dict[str, float]:
    """Per-column shape score; NaN where one side has no values."""
    scores: dict[str, float] = {}
    for name in schema.columns:
        a = _column(schema, real, name)
        b = _column(schema, synthetic, name)
        a = a[_present(a)]
        b = b[_present(b)]
        if a.size == 0 or b.size == 0:
            scores[name] = math.nan
        elif schema.is_numeric(name):
            scores[name] = 1.0 - ks_statistic(a, b)
        else:
            n_levels = len(schema.levels[schema.categorical.index(name)])
            scores[name] = 1.0 - tvd_codes(a, b, n_levels)
    return scores


def missing_scores(schema: Schema, real: Encoded, synthetic: Encoded) -> dict[str, float]:
    """Per-column ``1 - |missing share real - missing share synthetic|``."""
    out: dict[str, float] = {}
    for name in schema.columns:
        share_a = 1.0 - float(_present(_column(schema, real, name)).mean())
        share_b = 1.0 - float(_present(_column(schema, synthetic, name)).mean())
        out[name] = 1.0 - abs(share_a - share_b)
    return out


def _mean(scores: dict[str, float]) -> float:
    finite = [s for s in scores.values() if math.isfinite(s)]
    return float(np.mean(finite)) if finite else math.nan


def summarise_shapes(
    schema: Schema, scores: dict[str, float], n_real: int, n_synthetic: int
) -> MetricResult:
    """The column-shapes :class:`MetricResult` from per-column scores."""
    columns = {}
    skipped = {}
    for name, kind in zip(schema.columns, schema.kinds, strict=True):
        stat = "ks" if schema.is_numeric(name) else "tvd"
        score = scores[name]
        if math.isfinite(score):
            columns[name] = {"kind": kind.value, "statistic": stat, "score": score}
        else:
            skipped[name] = "no values on one side"
    details: dict[str, Any] = {
        "columns": columns,
        "skipped": skipped,
        "n_real": n_real,
        "n_synthetic": n_synthetic,
    }
    score = _mean(scores)
    if not math.isfinite(score):
        details["reason"] = "no column with values on both sides (ids, PII and text are skipped)"
    return MetricResult("column_shapes", score, "maximize", (0.0, 1.0), details)


def summarise_missing(
    schema: Schema, real: Encoded, synthetic: Encoded, scores: dict[str, float]
) -> MetricResult:
    """The missing-values :class:`MetricResult` from per-column scores."""
    columns = {}
    for name in schema.columns:
        columns[name] = {
            "real": 1.0 - float(_present(_column(schema, real, name)).mean()),
            "synthetic": 1.0 - float(_present(_column(schema, synthetic, name)).mean()),
            "score": scores[name],
        }
    details: dict[str, Any] = {"columns": columns}
    score = _mean(scores)
    if not math.isfinite(score):
        details["reason"] = "no column to compare (ids, PII and text are skipped)"
    return MetricResult("missing_values", score, "maximize", (0.0, 1.0), details)


def column_shapes(real: pd.DataFrame, synthetic: pd.DataFrame, metadata: Metadata) -> MetricResult:
    """Mean over columns of ``1 - KS`` (numbers, datetimes) or ``1 - TVD`` (categories).

    Examples
    --------
    >>> from synthcraft.metadata import Column
    >>> md = Metadata((Column("x", ColumnKind.FLOAT, "float64"),))
    >>> column_shapes(pd.DataFrame({"x": [1.0, 2.0]}), pd.DataFrame({"x": [2.0, 3.0]}), md).score
    0.5
    """
    check_frame(real, "real table", metadata)
    check_frame(synthetic, "synthetic table", metadata)
    schema, (a, b) = encode_frames(metadata, [real, synthetic])
    return summarise_shapes(schema, shape_scores(schema, a, b), len(real), len(synthetic))


def missing_values(real: pd.DataFrame, synthetic: pd.DataFrame, metadata: Metadata) -> MetricResult:
    """Mean over columns of ``1 - |share missing in real - share missing in synthetic|``."""
    check_frame(real, "real table", metadata)
    check_frame(synthetic, "synthetic table", metadata)
    schema, (a, b) = encode_frames(metadata, [real, synthetic])
    return summarise_missing(schema, a, b, missing_scores(schema, a, b))


def _label(value: object) -> str:
    return str(value)


def _histogram(a: FloatArray, b: FloatArray) -> dict[str, Any]:
    both = np.concatenate([a, b])
    lo, hi = float(both.min()), float(both.max())
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    edges = np.linspace(lo, hi, HIST_BINS + 1)
    real = np.histogram(a, bins=edges)[0] / max(a.size, 1)
    syn = np.histogram(b, bins=edges)[0] / max(b.size, 1)
    return {
        "type": "histogram",
        "edges": edges.tolist(),
        "real": real.tolist(),
        "synthetic": syn.tolist(),
    }


def _bars(a: IntArray, b: IntArray, levels: tuple[object, ...]) -> dict[str, Any]:
    n = len(levels)
    p = np.bincount(a, minlength=n) / max(a.size, 1)
    q = np.bincount(b, minlength=n) / max(b.size, 1)
    order = np.lexsort((np.arange(n), -q, -p))
    top = order[:MAX_BARS]
    labels = [_label(levels[i]) for i in top]
    real = p[top].tolist()
    syn = q[top].tolist()
    rest = order[MAX_BARS:]
    if rest.size:
        labels.append(f"other ({rest.size} values)")
        real.append(float(p[rest].sum()))
        syn.append(float(q[rest].sum()))
    return {"type": "bars", "labels": labels, "real": real, "synthetic": syn}


def column_distributions(
    real: pd.DataFrame, synthetic: pd.DataFrame, metadata: Metadata
) -> dict[str, dict[str, Any]]:
    """Per-column plot data: shares per histogram bin or per category, real and synthetic.

    Numbers use :data:`HIST_BINS` equal-width bins over the range of both samples (datetimes in
    seconds since the epoch); categories show the :data:`MAX_BARS` most frequent values in the
    real data and pool the rest. Shares are of the non-missing values; missing shares are given
    beside them.
    """
    check_frame(real, "real table", metadata)
    check_frame(synthetic, "synthetic table", metadata)
    schema, (ea, eb) = encode_frames(metadata, [real, synthetic])
    out: dict[str, dict[str, Any]] = {}
    for name, kind in zip(schema.columns, schema.kinds, strict=True):
        a = _column(schema, ea, name)
        b = _column(schema, eb, name)
        pa, pb = _present(a), _present(b)
        base: dict[str, Any] = {
            "kind": kind.value,
            "missing_real": 1.0 - float(pa.mean()),
            "missing_synthetic": 1.0 - float(pb.mean()),
        }
        if not pa.any() and not pb.any():
            continue
        if schema.is_numeric(name):
            plot = _histogram(a[pa].astype(float), b[pb].astype(float))
            if kind is ColumnKind.DATETIME:
                plot["unit"] = "seconds since 1970-01-01"
        else:
            levels = schema.levels[schema.categorical.index(name)]
            plot = _bars(a[pa].astype(np.int64), b[pb].astype(np.int64), levels)
        out[name] = base | plot
    return out
