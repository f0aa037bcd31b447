"""Linkability and attribute inference (Anonymeter) with nearest synthetic neighbours.

Both attacks target ``n_attacks`` training rows (main) and as many holdout rows (control); the
risk is the excess of main over control success (see :func:`._stats.residual_risk`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.evaluation._features import fit_feature_space
from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation.privacy._neighbors import nearest
from synthcraft.evaluation.privacy._stats import risk_result, unavailable
from synthcraft.evaluation.privacy._tables import MIN_ROWS, encode_column, sample_rows
from synthcraft.metadata import ColumnKind, Metadata

__all__ = ["N_ATTACKS", "guess_is_right", "inference", "linkability"]

N_ATTACKS = 500
MAX_SYNTHETIC = 100_000
RELATIVE_TOLERANCE = 0.05
"""A numeric guess within 5% of the true value is right (datetimes: 5% of the training range)."""


def _targets(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    rng: np.random.Generator,
    n_attacks: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    n = min(n_attacks, len(train), len(holdout))
    main = train.iloc[sample_rows(len(train), n, rng)]
    control = holdout.iloc[sample_rows(len(holdout), n, rng)]
    syn = synthetic.iloc[sample_rows(len(synthetic), MAX_SYNTHETIC, rng)]
    return main, syn, control


def _too_small(n_train: int, n_syn: int, n_hold: int) -> str | None:
    if min(n_train, n_syn, n_hold) < MIN_ROWS:
        return f"needs at least {MIN_ROWS} rows in train, holdout and synthetic"
    return None


def linkability(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
    quasi_identifiers: Sequence[str],
    rng: np.random.Generator,
    *,
    halves: tuple[Sequence[str], Sequence[str]] | None = None,
    n_attacks: int = N_ATTACKS,
) -> MetricResult:
    """Linkability risk: a target is linked when both halves give the same nearest synthetic row.

    ``halves`` defaults to the first and second half of ``quasi_identifiers``; each half has its
    own feature space fitted on ``train``.
    """
    qis = list(quasi_identifiers)
    cut = len(qis) // 2
    left, right = (list(halves[0]), list(halves[1])) if halves else (qis[:cut], qis[cut:])
    details: dict[str, Any] = {"columns_a": left, "columns_b": right}
    reason = _too_small(len(train), len(synthetic), len(holdout))
    if reason is None and (not left or not right):
        reason = "needs at least 2 quasi-identifiers to split into two halves"
    if reason is not None:
        return unavailable("linkability", "minimize", reason, details=details)
    main, syn, control = _targets(train, synthetic, holdout, rng, n_attacks)
    links: list[np.ndarray] = []
    for half in (left, right):
        space = fit_feature_space(train, metadata.select(half))
        if space.n_features == 0:
            reason = f"columns {half} have no features (ids, PII or text only)"
            return unavailable("linkability", "minimize", reason, details=details)
        x_syn = space.transform(syn)
        links.append(
            np.stack([nearest(x_syn, space.transform(t), 1)[1][:, 0] for t in (main, control)])
        )
    success = links[0] == links[1]
    hits_main, hits_control = int(success[0].sum()), int(success[1].sum())
    details["n_synthetic_used"] = len(syn)
    return risk_result("linkability", hits_main, len(main), hits_control, len(control), details)


def guess_is_right(
    guess: np.ndarray, truth: np.ndarray, *, numeric: bool, tolerance: float | np.ndarray
) -> np.ndarray:
    """Element-wise success of guesses; missing equals missing.

    Numbers are right within ``tolerance`` (absolute, scalar or per target); codes must be equal.
    """
    if not numeric:
        return np.asarray(guess == truth)
    both_missing = np.isnan(guess) & np.isnan(truth)
    with np.errstate(invalid="ignore"):
        close = np.abs(guess - truth) <= tolerance
    return np.asarray(both_missing | close)


def inference(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
    quasi_identifiers: Sequence[str],
    secret: str | None,
    rng: np.random.Generator,
    *,
    n_attacks: int = N_ATTACKS,
) -> MetricResult:
    """Inference risk: guess each target's ``secret`` from its nearest synthetic row.

    Neighbours are found on the other quasi-identifiers (the auxiliary columns). Categories must
    match; numbers must be within 5% of the true value (datetimes within 5% of the training
    range).
    """
    aux = [q for q in quasi_identifiers if q != secret]
    details: dict[str, Any] = {"secret": secret, "auxiliary_columns": aux}
    reason = _too_small(len(train), len(synthetic), len(holdout))
    if reason is None and secret is None:
        reason = "no secret column to infer; pass secret="
    if reason is None and not aux:
        reason = "needs at least one quasi-identifier besides the secret"
    if reason is not None or secret is None:
        return unavailable("inference", "minimize", str(reason), details=details)
    space = fit_feature_space(train, metadata.select(aux))
    if space.n_features == 0:
        reason = "the auxiliary columns have no features (ids, PII or text only)"
        return unavailable("inference", "minimize", reason, details=details)
    main, syn, control = _targets(train, synthetic, holdout, rng, n_attacks)
    column = metadata[secret]
    encoded = encode_column(column, (main, syn, control))
    main_v, syn_v, control_v = encoded.arrays
    span = 0.0
    if column.kind is ColumnKind.DATETIME:
        seconds = encode_column(column, (train,)).arrays[0]
        finite = seconds[np.isfinite(seconds)]
        span = float(np.ptp(finite)) if finite.size else 0.0
    x_syn = space.transform(syn)
    hits: list[int] = []
    for targets, truth in ((main, main_v), (control, control_v)):
        guess = syn_v[nearest(x_syn, space.transform(targets), 1)[1][:, 0]]
        tolerance = RELATIVE_TOLERANCE * (np.abs(truth) if column.kind.is_numeric else span)
        right = guess_is_right(guess, truth, numeric=encoded.numeric, tolerance=tolerance)
        hits.append(int(right.sum()))
    details["n_synthetic_used"] = len(syn)
    return risk_result("inference", hits[0], len(main), hits[1], len(control), details)
