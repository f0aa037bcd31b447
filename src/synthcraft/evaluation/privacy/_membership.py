"""Membership inference: can closeness to the synthetic data tell training rows from fresh ones?

A light version of DOMIAS (van Breugel et al., 2023): each candidate is scored by a 1-nearest-
neighbour estimate of the density ratio p_synthetic(x) / p_reference(x), where the reference is
a part of the holdout that is not itself a candidate. With 1-NN densities
``p(x) ∝ 1 / (n d(x)^dim)``, that ratio ranks candidates exactly as
``log((d_ref(x) + eps) / (d_syn(x) + eps))`` does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from synthcraft.evaluation._features import FeatureSpace
from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation.privacy._neighbors import nearest
from synthcraft.evaluation.privacy._stats import unavailable
from synthcraft.evaluation.privacy._tables import MIN_ROWS, sample_rows

__all__ = ["EPS", "membership_auc", "membership_scores"]

N_SYNTHETIC = 100_000
MAX_CANDIDATES = 5_000
"""Most members (and as many non-members) scored."""
MAX_REFERENCE = 50_000
EPS = 1e-9
"""Added to both distances so that exact matches give a finite score."""


def membership_scores(d_syn: np.ndarray, d_ref: np.ndarray) -> np.ndarray:
    """``log((d_ref + EPS) / (d_syn + EPS))``: high when a candidate is closer to synthetic rows."""
    return np.asarray(np.log((d_ref + EPS) / (d_syn + EPS)))


def membership_auc(
    space: FeatureSpace,
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    rng: np.random.Generator,
    *,
    n_synthetic: int = N_SYNTHETIC,
    max_candidates: int = MAX_CANDIDATES,
) -> MetricResult:
    """AUC of telling training rows (members) from holdout rows (non-members) by their scores.

    The holdout is shuffled and split: ``m = min(len(holdout) // 2, len(train), max_candidates)``
    rows are the non-member candidates, the rest (at most ``MAX_REFERENCE``) the reference;
    ``m`` training rows are the member candidates. 0.5 means members are not recognisable.
    """
    m = min(len(holdout) // 2, len(train), max_candidates)
    n_syn = min(len(synthetic), n_synthetic)
    order = rng.permutation(len(holdout))
    non_members, reference = order[:m], np.sort(order[m : m + MAX_REFERENCE])
    details: dict[str, object] = {
        "n_members": m,
        "n_non_members": m,
        "n_reference": len(reference),
        "n_synthetic_used": n_syn,
    }
    if space.n_features == 0:
        reason = "no column can be placed in feature space (ids, PII, text)"
        return unavailable("membership_auc", 0.5, reason, details=details)
    if m < MIN_ROWS or n_syn < MIN_ROWS:
        reason = f"needs at least {MIN_ROWS} training rows, {2 * MIN_ROWS} holdout rows and "
        reason += f"{MIN_ROWS} synthetic rows"
        return unavailable("membership_auc", 0.5, reason, details=details)
    members = sample_rows(len(train), m, rng)
    candidates = np.vstack(
        [
            space.transform(train.iloc[members]),
            space.transform(holdout.iloc[np.sort(non_members)]),
        ]
    )
    x_syn = space.transform(synthetic.iloc[sample_rows(len(synthetic), n_syn, rng)])
    x_ref = space.transform(holdout.iloc[reference])
    d_syn = nearest(x_syn, candidates, 1)[0][:, 0]
    d_ref = nearest(x_ref, candidates, 1)[0][:, 0]
    scores = membership_scores(d_syn, d_ref)
    labels = np.r_[np.ones(m), np.zeros(m)]
    auc = float(roc_auc_score(labels, scores))
    return MetricResult("membership_auc", auc, 0.5, (0.0, 1.0), details)
