"""Column shapes, missing values and pair trends at a like-for-like size, with the holdout ceiling.

The synthetic rows and the training rows are subsampled to the same size ``m`` (the holdout's
size when there is a holdout, else ``min(train, synthetic, max_rows)``). The *ceiling* is the same
score for the real holdout against the same training subsample: what fresh real rows achieve at
that size, since even a perfect generator cannot beat sampling noise.

Pair-trend bins come from the whole training table, so every replicate and both sides share
them. Replicate 0 draws ``m`` distinct rows from each table and gives the reported figures.
Replicates ``1 .. bootstrap`` draw ``m`` rows with replacement from each table; the interval is
the figure plus or minus 1.96 times the standard deviation of the replicates (a normal interval
with a bootstrap standard error: resampling with replacement repeats rows, which biases the
replicates' own percentiles low, while their spread is sound).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthcraft._rng import check_rng
from synthcraft._types import ProgressCallback, SeedLike
from synthcraft.errors import UserInputError
from synthcraft.evaluation._encode import (
    Encoded,
    IntArray,
    Schema,
    check_frame,
    encode_frames,
)
from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation.fidelity._shapes import (
    missing_scores,
    shape_scores,
    summarise_missing,
    summarise_shapes,
)
from synthcraft.evaluation.fidelity._trends import (
    TrendView,
    bin_edges,
    pair_scores_from,
    summarise_pairs,
    trend_view,
)
from synthcraft.metadata import Metadata

__all__ = ["FidelityComparison", "compare_fidelity"]

FIGURES = ("column_shapes", "missing_values", "column_pair_trends")
Z95 = 1.959963984540054


@dataclass(frozen=True)
class FidelityComparison:
    """The synthetic figures and, with a holdout, the ceiling, at ``rows`` rows per side."""

    metrics: dict[str, MetricResult]
    ceiling: dict[str, MetricResult]
    rows: int
    bootstrap: int


def _figures(
    schema: Schema, real: Encoded, real_view: TrendView, other: Encoded, other_view: TrendView
) -> dict[str, MetricResult]:
    m, n = len(real), len(other)
    return {
        "column_shapes": summarise_shapes(schema, shape_scores(schema, real, other), m, n),
        "missing_values": summarise_missing(
            schema, real, other, missing_scores(schema, real, other)
        ),
        "column_pair_trends": summarise_pairs(
            schema, pair_scores_from(schema, real_view, other_view)
        ),
    }


def _with_interval(
    point: MetricResult, replicates: list[float], rows: int, bootstrap: int
) -> MetricResult:
    finite = np.array([x for x in replicates if math.isfinite(x)])
    interval = None
    if point.ok and finite.size >= 2:
        half = Z95 * float(np.std(finite, ddof=1))
        lo, hi = point.bounds
        interval = (max(lo, point.score - half), min(hi, point.score + half))
    details = dict(point.details) | {
        "rows": rows,
        "bootstrap": bootstrap,
        "interval": f"95% normal, bootstrap standard error ({finite.size} replicates)"
        if interval
        else None,
    }
    return MetricResult(point.name, point.score, point.goal, point.bounds, details, interval)


def compare_fidelity(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    metadata: Metadata,
    *,
    holdout: pd.DataFrame | None = None,
    seed: SeedLike = None,
    max_rows: int = 100_000,
    bootstrap: int = 20,
    progress: ProgressCallback | None = None,
) -> FidelityComparison:
    """Shapes, missing values and pair trends of ``synthetic`` (and ``holdout``) vs ``train``.

    Parameters
    ----------
    train, synthetic : DataFrame
        Real training rows and synthetic rows.
    metadata : Metadata
        Column kinds.
    holdout : DataFrame, optional
        Real rows not used for training; gives the ceiling and sets the size ``m``.
    seed : int, Generator or None
        Drives the subsamples.
    max_rows : int
        Largest ``m``.
    bootstrap : int
        Number of bootstrap replicates for the intervals (0: no interval).
    progress : callable, optional
        Called as ``progress(done, bootstrap + 1)`` after each replicate.
    """
    for name, value in (("max_rows", max_rows), ("bootstrap", bootstrap)):
        if isinstance(value, bool) or not isinstance(value, int) or value < (name == "max_rows"):
            raise UserInputError(f"{name} must be a whole number >= {int(name == 'max_rows')}")
    frames = [check_frame(train, "training table", metadata)]
    frames.append(check_frame(synthetic, "synthetic table", metadata))
    if holdout is not None:
        frames.append(check_frame(holdout, "holdout table", metadata))
    rng = check_rng(seed)
    schema, encoded = encode_frames(metadata, frames)
    edges = bin_edges(schema, encoded[0])
    views = [trend_view(schema, e, edges) for e in encoded]
    m = min(min(len(f) for f in frames), max_rows)
    sides = ["metrics", "ceiling"][: len(frames) - 1]
    scores: dict[str, dict[str, list[float]]] = {s: {f: [] for f in FIGURES} for s in sides}
    points: dict[str, dict[str, MetricResult]] = {}
    for rep in range(bootstrap + 1):
        if rep == 0:
            rows: list[IntArray] = [rng.choice(len(e), size=m, replace=False) for e in encoded]
        else:
            rows = [rng.integers(0, len(e), size=m) for e in encoded]
        real = encoded[0].take(rows[0])
        real_view = views[0].take(rows[0])
        for k, side in enumerate(sides, start=1):
            other, view = encoded[k].take(rows[k]), views[k].take(rows[k])
            figures = _figures(schema, real, real_view, other, view)
            if rep == 0:
                points[side] = figures
            else:
                for f in FIGURES:
                    scores[side][f].append(figures[f].score)
        if progress is not None:
            progress(rep + 1, bootstrap + 1)
    out = {
        side: {f: _with_interval(points[side][f], scores[side][f], m, bootstrap) for f in FIGURES}
        for side in sides
    }
    return FidelityComparison(out["metrics"], out.get("ceiling", {}), m, bootstrap)
