"""Detection: how well a classifier tells real rows from synthetic rows (ROC AUC, 0.5 is perfect).

Both sides are subsampled to the same number of rows (at most ``max_rows`` each), labelled and
split into stratified folds; the score is the mean of the folds' ROC AUC on held-out rows. The
interval is the Hanley-McNeil 95% interval of an AUC with that many rows per class.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from synthcraft._rng import check_rng
from synthcraft._types import SeedLike
from synthcraft.errors import UserInputError
from synthcraft.evaluation._encode import (
    Encoded,
    FloatArray,
    IntArray,
    Schema,
    check_frame,
    encode_frames,
)
from synthcraft.evaluation._features import fit_feature_space
from synthcraft.evaluation._result import MetricResult
from synthcraft.metadata import Metadata

__all__ = [
    "DETECTION_MODELS",
    "DetectionModel",
    "auc_interval",
    "detection",
    "early_stopping",
    "gbm_matrix",
    "thread_limit",
    "usable_columns",
]

DetectionModel = Literal["gbm", "logistic"]
DETECTION_MODELS: tuple[DetectionModel, ...] = ("gbm", "logistic")
FOLDS = 3
GBM_ITERATIONS = 100
_MAX_CODES = 254  # HistGradientBoosting needs category codes below max_bins (255)
EARLY_STOPPING_ROWS = 1_000
SMALL_FIT = 20_000
"""Fits on fewer rows run on one OpenMP thread: thread hand-offs cost more than they save."""


def thread_limit(n_rows: int) -> contextlib.AbstractContextManager[object]:
    """A context limiting OpenMP to one thread for a fit on fewer than :data:`SMALL_FIT` rows.

    The previous limit is restored on exit.
    """
    if n_rows >= SMALL_FIT:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return cast(contextlib.AbstractContextManager[object], threadpool_limits(1, "openmp"))


def auc_interval(auc: float, n_pos: int, n_neg: int) -> tuple[float, float]:
    """Hanley and McNeil's (1982) 95% interval of an AUC from ``n_pos`` and ``n_neg`` cases."""
    q1 = auc / (2.0 - auc)
    q2 = 2.0 * auc * auc / (1.0 + auc)
    var = (auc * (1 - auc) + (n_pos - 1) * (q1 - auc**2) + (n_neg - 1) * (q2 - auc**2)) / (
        n_pos * n_neg
    )
    half = 1.959963984540054 * math.sqrt(max(var, 0.0))
    return max(0.0, auc - half), min(1.0, auc + half)


def gbm_matrix(
    schema: Schema, frames: list[Encoded], reference: int = 0
) -> tuple[list[FloatArray], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Float matrices for HistGradientBoosting: numbers, then category codes (NaN missing).

    Category codes are ranked by frequency in ``frames[reference]``; codes past the 254 most
    frequent share one code.
    """
    remaps: list[IntArray] = []
    for j, levels in enumerate(schema.levels):
        ref = frames[reference].codes[:, j]
        counts = np.bincount(ref[ref >= 0], minlength=len(levels))
        order = np.lexsort((np.arange(len(levels)), -counts))
        remap = np.empty(len(levels), np.int64)
        remap[order] = np.minimum(np.arange(len(levels)), _MAX_CODES)
        remaps.append(remap)
    out = []
    for f in frames:
        cats = np.empty(f.codes.shape, float)
        for j, remap in enumerate(remaps):
            c = f.codes[:, j]
            cats[:, j] = np.where(c >= 0, remap[np.maximum(c, 0)] if remap.size else 0, np.nan)
        out.append(np.hstack([f.numbers, cats]))
    mask = np.array([False] * len(schema.numeric) + [True] * len(schema.categorical), dtype=bool)
    return out, mask


def usable_columns(
    x_fit: FloatArray, x_test: FloatArray, mask: np.ndarray[Any, Any]
) -> tuple[FloatArray, FloatArray, np.ndarray[Any, Any]]:
    """Drop columns with no value in the fitting rows (gradient boosting cannot bin them).

    A single zero column stands in when none is left, so the model predicts the base rate.
    """
    keep = ~np.isnan(x_fit).all(axis=0)
    if not keep.any():
        return np.zeros((len(x_fit), 1)), np.zeros((len(x_test), 1)), np.zeros(1, dtype=bool)
    return x_fit[:, keep], x_test[:, keep], mask[keep]


def early_stopping(y: np.ndarray[Any, Any], classification: bool) -> bool:
    """Whether gradient boosting may hold out 10% of ``y`` to stop early.

    Needs 1,000 rows; for classes, at least two rows of each class and a holdout of at least
    one row per class (scikit-learn splits it stratified).
    """
    if len(y) < EARLY_STOPPING_ROWS:
        return False
    if not classification:
        return True
    counts = np.unique(y, return_counts=True)[1]
    return bool(counts.min() >= 2 and 0.1 * len(y) >= counts.size)


def _make_model(
    kind: DetectionModel, mask: np.ndarray[Any, Any], random_state: int, stop_early: bool
) -> Any:
    if kind == "gbm":
        from sklearn.ensemble import HistGradientBoostingClassifier

        return HistGradientBoostingClassifier(
            max_iter=GBM_ITERATIONS,
            early_stopping=stop_early,
            n_iter_no_change=10,
            validation_fraction=0.1,
            categorical_features=mask if mask.any() else None,
            random_state=random_state,
        )
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(solver="newton-cholesky", max_iter=100)


def _cv_auc(
    x: FloatArray, y: IntArray, kind: DetectionModel, mask: np.ndarray[Any, Any], rng: Any
) -> list[float]:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=int(rng.integers(2**31)))
    aucs = []
    with thread_limit(len(x)):
        for fit_rows, test_rows in folds.split(x, y):
            x_fit, x_test, fit_mask = usable_columns(x[fit_rows], x[test_rows], mask)
            stop = early_stopping(y[fit_rows], classification=True)
            model = _make_model(kind, fit_mask, int(rng.integers(2**31)), stop)
            model.fit(x_fit, y[fit_rows])
            proba = model.predict_proba(x_test)[:, 1]
            aucs.append(float(roc_auc_score(y[test_rows], proba)))
    return aucs


def _nan_result(name: str, reason: str, details: dict[str, Any]) -> MetricResult:
    return MetricResult(name, math.nan, 0.5, (0.0, 1.0), details | {"reason": reason})


def detection(
    real: pd.DataFrame,
    synthetic: pd.DataFrame,
    metadata: Metadata,
    *,
    model: DetectionModel = "gbm",
    seed: SeedLike = None,
    max_rows: int = 50_000,
) -> MetricResult:
    """Cross-validated ROC AUC of a classifier telling ``real`` from ``synthetic`` rows.

    Parameters
    ----------
    real, synthetic : DataFrame
        The two tables; ids, PII and free text are left out.
    metadata : Metadata
        Column kinds.
    model : {"gbm", "logistic"}
        Histogram gradient boosting on numbers and category codes, or logistic regression on
        min-max scaled numbers and one-hot categories (fitted on ``real``).
    seed : int, Generator or None
        Drives subsampling, folds and the classifier.
    max_rows : int
        Rows per side at most; both sides use ``min(len(real), len(synthetic), max_rows)``.

    Returns
    -------
    MetricResult
        ``detection_gbm`` or ``detection_logistic``: goal 0.5, bounds (0, 1).
    """
    if model not in DETECTION_MODELS:
        raise UserInputError(f"detection model {model!r} is unknown; use 'gbm' or 'logistic'")
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 1:
        raise UserInputError(f"max_rows must be a positive whole number, got {max_rows!r}")
    check_frame(real, "real table", metadata)
    check_frame(synthetic, "synthetic table", metadata)
    rng = check_rng(seed)
    name = f"detection_{model}"
    n = min(len(real), len(synthetic), max_rows)
    details: dict[str, Any] = {"rows_per_side": n, "folds": FOLDS, "model": model}
    if n < 2 * FOLDS:
        return _nan_result(name, f"too few rows ({n} per side; need {2 * FOLDS})", details)
    rows_a = np.sort(rng.choice(len(real), size=n, replace=False))
    rows_b = np.sort(rng.choice(len(synthetic), size=n, replace=False))
    a = real.iloc[rows_a]
    b = synthetic.iloc[rows_b]
    if model == "gbm":
        schema, encoded = encode_frames(metadata, [a, b])
        (xa, xb), mask = gbm_matrix(schema, encoded)
    else:
        space = fit_feature_space(a, metadata)
        xa, xb = space.transform(a), space.transform(b)
        mask = np.zeros(xa.shape[1], dtype=bool)
    if xa.shape[1] == 0:
        return _nan_result(name, "no column to compare (ids, PII and text are skipped)", details)
    x = np.vstack([xa, xb])
    y = np.concatenate([np.zeros(n, np.int64), np.ones(n, np.int64)])
    aucs = _cv_auc(x, y, model, mask, rng)
    score = float(np.mean(aucs))
    details["fold_auc"] = aucs
    return MetricResult(name, score, 0.5, (0.0, 1.0), details, auc_interval(score, n, n))
