"""Utility: does a model trained on synthetic rows predict real rows as well as one trained on real?

TSTR (train on synthetic, test on real) against TRTR (train on real, test on real) with
histogram gradient boosting and the same test rows (the holdout), plus "augmented" (train on real
and synthetic rows together). Classification scores macro one-vs-rest ROC AUC and macro F1;
regression scores R². The headline figure is the ratio TSTR / TRTR of ROC AUC (classification)
or of R² (regression, a negative TSTR R² counted as 0).
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
import pandas as pd

from synthcraft._rng import check_rng
from synthcraft._types import SeedLike
from synthcraft.errors import UserInputError
from synthcraft.evaluation._encode import FloatArray, IntArray, check_frame, encode_frames
from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation.fidelity._detection import (
    GBM_ITERATIONS,
    early_stopping,
    gbm_matrix,
    thread_limit,
    usable_columns,
)
from synthcraft.metadata import ColumnKind, Metadata

__all__ = ["Task", "task_of", "utility"]

Task = Literal["classification", "regression"]

MIN_SIGNAL = 0.05
"""TRTR must beat chance (R² 0, ROC AUC 0.5) by this much, else the ratio is only noise."""


def task_of(metadata: Metadata, target: str) -> Task:
    """The task a target column defines: numbers are regression, categories classification."""
    if target not in metadata:
        raise UserInputError(f"target {target!r} is not a column; name one of {metadata.names}")
    kind = metadata[target].kind
    if kind.is_numeric:
        return "regression"
    if kind in (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN):
        return "classification"
    raise UserInputError(
        f"target {target!r} has kind {kind.value}; name a numeric, categorical or boolean column"
    )


def _model(task: Task, mask: np.ndarray[Any, Any], random_state: int, y: Any) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    if task == "classification":
        cls: Any = HistGradientBoostingClassifier
    else:
        cls = HistGradientBoostingRegressor
    return cls(
        max_iter=GBM_ITERATIONS,
        early_stopping=early_stopping(y, classification=task == "classification"),
        n_iter_no_change=10,
        validation_fraction=0.1,
        categorical_features=mask if mask.any() else None,
        random_state=random_state,
    )


def macro_auc(y: IntArray, proba: FloatArray) -> float:
    """Mean one-vs-rest ROC AUC over the classes present in ``y`` (columns of ``proba``)."""
    from sklearn.metrics import roc_auc_score

    aucs = []
    for c in np.unique(y):
        positive = y == c
        if positive.all():
            continue
        aucs.append(float(roc_auc_score(positive, proba[:, c])))
    return float(np.mean(aucs)) if aucs else math.nan


def _fit_score(
    task: Task,
    x: FloatArray,
    y: FloatArray | IntArray,
    x_test: FloatArray,
    y_test: FloatArray | IntArray,
    mask: np.ndarray[Any, Any],
    n_classes: int,
    random_state: int,
) -> dict[str, float]:
    from sklearn.metrics import f1_score, r2_score

    x, x_test, mask = usable_columns(x, x_test, mask)
    if task == "regression":
        model = _model(task, mask, random_state, y).fit(x, y)
        return {"r2": float(r2_score(y_test, model.predict(x_test)))}
    labels = np.unique(y)
    proba = np.zeros((len(x_test), n_classes))
    if labels.size == 1:  # nothing to learn: always the one class seen
        proba[:, int(labels[0])] = 1.0
    else:
        model = _model(task, mask, random_state, y).fit(x, y)
        proba[:, model.classes_.astype(np.int64)] = model.predict_proba(x_test)
    pred = np.argmax(proba, axis=1)
    return {
        "roc_auc": macro_auc(np.asarray(y_test, np.int64), proba),
        "f1_macro": float(f1_score(y_test, pred, average="macro")),
    }


def _ratio(task: Task, tstr: float, trtr: float) -> float:
    if not math.isfinite(tstr) or not math.isfinite(trtr):
        return math.nan
    return (max(tstr, 0.0) if task == "regression" else tstr) / trtr


def utility(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
    target: str,
    *,
    seed: SeedLike = None,
    max_rows: int = 100_000,
) -> tuple[dict[str, MetricResult], dict[str, MetricResult]]:
    """TSTR / TRTR ratio (``utility``) and (real + synthetic) / TRTR ratio (``utility_augmented``).

    Rows whose target is missing are dropped. Real training rows are subsampled to ``max_rows``,
    synthetic rows to as many as the real rows used, the holdout to ``max_rows``.

    Returns
    -------
    metrics, ceiling : dict of MetricResult
        The synthetic figures, and the real data's own (ratio 1 by definition, with TRTR figures
        in ``details``) for the report's ceiling column.
    """
    task = task_of(metadata, target)
    for frame, what in ((train, "training"), (synthetic, "synthetic"), (holdout, "holdout")):
        check_frame(frame, f"{what} table", metadata)
    rng = check_rng(seed)
    features = [n for n in metadata.names if n != target]
    schema, enc = encode_frames(metadata.select(features), [train, synthetic, holdout])
    mats, mask = gbm_matrix(schema, enc)
    t_schema, t_enc = encode_frames(metadata.select([target]), [train, synthetic, holdout])
    if task == "regression":
        ys: list[Any] = [e.numbers[:, 0] for e in t_enc]
        keep = [~np.isnan(y) for y in ys]
    else:
        ys = [e.codes[:, 0] for e in t_enc]
        keep = [y >= 0 for y in ys]
    xs = [m[k] for m, k in zip(mats, keep, strict=True)]
    ys = [y[k] for y, k in zip(ys, keep, strict=True)]
    n_real = min(len(ys[0]), max_rows)
    n_syn = min(len(ys[1]), n_real)
    n_test = min(len(ys[2]), max_rows)
    rows = [
        np.sort(rng.choice(len(ys[i]), size=n, replace=False))
        for i, n in enumerate((n_real, n_syn, n_test))
    ]
    (xr, xs_, xt) = (xs[i][rows[i]] for i in range(3))
    (yr, ys_, yt) = (ys[i][rows[i]] for i in range(3))
    details: dict[str, Any] = {
        "target": target,
        "task": task,
        "primary": "r2" if task == "regression" else "roc_auc",
        "rows": {"real": n_real, "synthetic": n_syn, "test": n_test},
        "model": "HistGradientBoosting",
    }
    primary = details["primary"]
    if min(n_real, n_syn, n_test) < 2 or (task == "classification" and np.unique(yt).size < 2):
        reason = "too few rows with a target value, or one class only in the holdout"
        skipped = details | {"reason": reason}
        return {
            k: MetricResult(k, math.nan, "maximize", (0.0, 1.0), skipped)
            for k in ("utility", "utility_augmented")
        }, {}
    n_classes = max(len(t_schema.levels[0]), 1) if task == "classification" else 0
    fit: dict[str, tuple[Any, Any]] = {
        "trtr": (xr, yr),
        "tstr": (xs_, ys_),
        "augmented": (np.vstack([xr, xs_]), np.concatenate([yr, ys_])),
    }
    with thread_limit(len(xr) + len(xs_)):
        scores = {
            k: _fit_score(task, x, y, xt, yt, mask, n_classes, int(rng.integers(2**31)))
            for k, (x, y) in fit.items()
        }
    details |= scores
    trtr = scores["trtr"][primary]
    baseline = (0.0 if task == "regression" else 0.5) + MIN_SIGNAL
    metrics = {}
    for name, key in (("utility", "tstr"), ("utility_augmented", "augmented")):
        ratios = {m: _ratio(task, scores[key][m], scores["trtr"][m]) for m in scores["trtr"]}
        d = details | {"ratios": ratios, "compared": key}
        if not trtr >= baseline:
            d["reason"] = (
                f"the real rows barely predict {target!r} (TRTR {primary} {trtr:.3f}, "
                f"below {baseline:.2f}); utility cannot be compared"
            )
            metrics[name] = MetricResult(name, math.nan, "maximize", (0.0, 1.0), d)
            continue
        metrics[name] = MetricResult(name, ratios[primary], "maximize", (0.0, 1.0 / trtr), d)
    ceiling = {
        name: MetricResult(name, 1.0, "maximize", (0.0, 1.0 / trtr), {"trtr": scores["trtr"]})
        for name in metrics
        if metrics[name].ok
    }
    return metrics, ceiling
