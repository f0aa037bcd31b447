"""Exact copies: synthetic (and, for reference, holdout) rows identical to a training row."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from synthcraft.evaluation._result import MetricResult
from synthcraft.evaluation.privacy._tables import Encoded, encode_column
from synthcraft.metadata import Metadata

__all__ = ["exact_copies", "row_keys"]


def row_keys(encoded: Sequence[Encoded]) -> tuple[np.ndarray, ...]:
    """One integer per row of each frame; equal rows (missing equals missing) get equal keys."""
    sizes = [len(a) for a in encoded[0].arrays]
    key = np.zeros(sum(sizes), dtype=np.int64)
    for column in encoded:
        joined = np.concatenate(column.arrays)
        if column.numeric:
            codes, _ = pd.factorize(joined, use_na_sentinel=True)
        else:
            codes = joined
        codes = np.asarray(codes, dtype=np.int64) + 1
        width = int(codes.max()) + 1
        key, _ = pd.factorize(key * width + codes)
        key = np.asarray(key, dtype=np.int64)
    return tuple(np.split(key, np.cumsum(sizes)[:-1]))


def _share_result(name: str, found: np.ndarray, label: str, columns: list[str]) -> MetricResult:
    count = int(found.sum())
    n = len(found)
    details = {"count": count, f"n_{label}": n, "columns": columns}
    return MetricResult(name, count / n, "minimize", (0.0, 1.0), details)


def exact_copies(
    train: pd.DataFrame,
    synthetic: pd.DataFrame,
    holdout: pd.DataFrame,
    metadata: Metadata,
    columns: Sequence[str],
) -> list[MetricResult]:
    """Shares of synthetic rows and of holdout rows identical to some training row.

    Rows are compared on ``columns`` (the non-id, non-PII columns); numbers compare by value
    whatever their dtype, datetimes as instants, and a missing value equals a missing value.

    Returns
    -------
    list of MetricResult
        ``exact_copies`` (synthetic) and ``exact_copies_holdout`` (what fresh real rows score).
    """
    cols = list(columns)
    encoded = [encode_column(metadata[c], (train, synthetic, holdout)) for c in cols]
    k_train, k_syn, k_hold = row_keys(encoded)
    known = np.unique(k_train)
    return [
        _share_result("exact_copies", np.isin(k_syn, known), "synthetic", cols),
        _share_result("exact_copies_holdout", np.isin(k_hold, known), "holdout", cols),
    ]
