"""Distance to closest record: DCR share, median DCR ratio and nearest-neighbour distance ratio."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthcraft.evaluation._features import FeatureSpace
from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation.privacy._neighbors import nearest
from synthcraft.evaluation.privacy._stats import unavailable, wilson_interval
from synthcraft.evaluation.privacy._tables import MIN_ROWS, sample_rows

__all__ = ["N_BINS", "N_SYNTHETIC", "TIE_TOLERANCE", "distance_metrics", "nn_distance_ratio"]

N_SYNTHETIC = 20_000
"""Synthetic rows used by default (all when there are fewer)."""
MAX_REFERENCE = 50_000
"""Most training (and holdout) rows searched."""
N_HOLDOUT_QUERIES = 5_000
"""Holdout rows whose NNDR gives the reference value."""
N_BINS = 20
TIE_TOLERANCE = 1e-9
"""Distances closer than this count as a tie."""

_NAMES = ("dcr_share", "dcr_median_ratio", "nndr")


def nn_distance_ratio(distances: np.ndarray) -> np.ndarray:
    """Nearest / second-nearest distance per row; 1 when both are 0 (two identical neighbours)."""
    d1, d2 = distances[:, 0], distances[:, 1]
    safe = np.where(d2 > 0, d2, 1.0)
    return np.where(d2 > 0, d1 / safe, 1.0)


def _histograms(d_train: np.ndarray, d_hold: np.ndarray) -> dict[str, list[float]]:
    pooled = np.concatenate([d_train, d_hold])
    upper = float(np.quantile(pooled, 0.99))
    if upper <= 0:
        upper = float(pooled.max()) or 1.0
    edges = np.linspace(0.0, upper, N_BINS + 1)
    h_train, _ = np.histogram(np.clip(d_train, 0.0, upper), bins=edges)
    h_hold, _ = np.histogram(np.clip(d_hold, 0.0, upper), bins=edges)
    return {
        "hist_train": [float(v) for v in h_train],
        "hist_holdout": [float(v) for v in h_hold],
        "bin_edges": [float(v) for v in edges],
    }


def _unavailable_all(reason: str, details: dict[str, object]) -> list[MetricResult]:
    return [
        unavailable("dcr_share", 0.5, reason, details=details),
        unavailable("dcr_median_ratio", 1.0, reason, (0.0, float("inf")), details),
        unavailable("nndr", "maximize", reason, details=details),
        unavailable("nndr_holdout", "maximize", reason, details=details),
    ]


def distance_metrics(
    space: FeatureSpace,
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    rng: np.random.Generator,
    *,
    n_synthetic: int = N_SYNTHETIC,
    max_reference: int = MAX_REFERENCE,
) -> list[MetricResult]:
    """``dcr_share``, ``dcr_median_ratio`` and ``nndr`` on same-size training and holdout samples.

    Training and holdout are both subsampled to ``min(len(train), len(holdout), max_reference)``
    rows, so being closer to training than to holdout is a coin flip for a model that does not
    copy. See ``docs/privacy-metrics.md`` for the definitions.
    """
    n_ref = min(len(train), len(holdout), max_reference)
    n_syn = min(len(synthetic), n_synthetic)
    sizes: dict[str, object] = {
        "n_synthetic_used": n_syn,
        "n_train_used": n_ref,
        "n_holdout_used": n_ref,
    }
    if space.n_features == 0:
        return _unavailable_all("no column can be placed in feature space (ids, PII, text)", sizes)
    if n_ref < MIN_ROWS or n_syn < MIN_ROWS:
        reason = f"needs at least {MIN_ROWS} rows in train, holdout and synthetic"
        return _unavailable_all(reason, sizes)
    x_train = space.transform(train.iloc[sample_rows(len(train), n_ref, rng)])
    x_hold = space.transform(holdout.iloc[sample_rows(len(holdout), n_ref, rng)])
    x_syn = space.transform(synthetic.iloc[sample_rows(len(synthetic), n_syn, rng)])

    d_syn_train, _ = nearest(x_train, x_syn, 2)
    d_syn_hold, _ = nearest(x_hold, x_syn, 1)
    d_train, d_hold = d_syn_train[:, 0], d_syn_hold[:, 0]
    tie = np.abs(d_train - d_hold) <= TIE_TOLERANCE
    closer = (d_train < d_hold) & ~tie
    wins = float(closer.sum()) + 0.5 * float(tie.sum())
    share = wins / n_syn
    med_train, med_hold = float(np.median(d_train)), float(np.median(d_hold))
    dcr = MetricResult(
        "dcr_share",
        share,
        0.5,
        (0.0, 1.0),
        {
            **sizes,
            "n_closer_to_train": int(closer.sum()),
            "n_ties": int(tie.sum()),
            "median_dcr_train": med_train,
            "median_dcr_holdout": med_hold,
            **_histograms(d_train, d_hold),
        },
        wilson_interval(wins, n_syn),
    )

    ratio_details = {**sizes, "median_dcr_train": med_train, "median_dcr_holdout": med_hold}
    if med_hold > 0:
        ratio = MetricResult(
            "dcr_median_ratio", med_train / med_hold, 1.0, (0.0, float("inf")), ratio_details
        )
    else:
        reason = (
            "the median distance to holdout is 0 (most synthetic rows equal a real row); "
            "read dcr_share instead"
        )
        ratio = unavailable("dcr_median_ratio", 1.0, reason, (0.0, float("inf")), ratio_details)

    n_hold_q = min(n_ref, N_HOLDOUT_QUERIES)
    x_hold_q = x_hold[sample_rows(n_ref, n_hold_q, rng)]
    d_hold_train, _ = nearest(x_train, x_hold_q, 2)
    nndr_syn = float(np.median(nn_distance_ratio(d_syn_train)))
    nndr_hold = float(np.median(nn_distance_ratio(d_hold_train)))
    # A ratio near 1 means a synthetic row is no closer to one training row than to the next:
    # higher is safer, and fresh real rows (the holdout) show what is normal for the data.
    nndr = MetricResult(
        "nndr",
        nndr_syn,
        "maximize",
        (0.0, 1.0),
        {**sizes, "n_holdout_queries": n_hold_q, "nndr_holdout": nndr_hold},
    )
    nndr_holdout = MetricResult(
        "nndr_holdout", nndr_hold, "maximize", (0.0, 1.0), {"n_holdout_queries": n_hold_q}
    )
    return [dcr, ratio, nndr, nndr_holdout]
