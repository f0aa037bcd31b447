"""Conditions on any column by sampling-importance-resampling, shared by the sequential models.

A model that draws columns in a fixed order can force a conditioned column exactly, but the
columns drawn before it would then ignore the condition. Instead each conditioned row draws
:data:`CANDIDATES` candidate rows with the conditioned values forced, weights each by the model's
likelihood of those values given the columns drawn before them, and keeps one in proportion to
its weight. Rows are handled in fixed chunks from row 0, so output stays prefix-stable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["CANDIDATES", "CHUNK_ROWS", "Forced", "chunk_forced", "forced_prefix", "pick"]

CANDIDATES = 32
"""Candidate rows per conditioned row."""
CHUNK_ROWS = 2_048
"""Conditioned rows handled at once (bounds memory: chunk x candidates x columns)."""

Forced = Mapping[int, tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]]
"""Column position -> (forced values per row, mask of the rows where they are forced)."""


def forced_prefix(forced: Forced, n_rows: int) -> bool:
    """True when, in every row, the forced columns are the first ones of the order."""
    previous = np.ones(n_rows, dtype=bool)
    for j in range(max(forced) + 1):
        mask = forced[j][1] if j in forced else np.zeros(n_rows, dtype=bool)
        if np.any(mask & ~previous):
            return False
        previous = mask
    return True


def chunk_forced(
    forced: Forced, start: int, stop: int, k: int = CANDIDATES
) -> dict[int, tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]]:
    """The forced values of rows ``start:stop``, each repeated for its ``k`` candidates."""
    return {
        j: (np.repeat(values[start:stop], k), np.repeat(mask[start:stop], k))
        for j, (values, mask) in forced.items()
    }


def pick(
    log_weight: npt.NDArray[np.float64], picks: npt.NDArray[np.float64]
) -> npt.NDArray[np.intp]:
    """Index (into the flat candidates) of the candidate each row keeps.

    ``log_weight`` holds ``rows x k`` candidate log-likelihoods, row-major; ``picks`` one uniform
    per row. A row whose candidates all have likelihood 0 keeps one uniformly.
    """
    size = picks.size
    lw = log_weight.reshape(size, -1)
    k = lw.shape[1]
    top = lw.max(axis=1, keepdims=True)
    finite = np.isfinite(top)
    weights = np.where(finite, np.exp(lw - np.where(finite, top, 0.0)), 1.0)
    cdf = np.cumsum(weights, axis=1)
    choice = np.minimum((cdf <= picks[:, None] * cdf[:, -1:]).sum(axis=1), k - 1)
    return np.asarray(np.arange(size) * k + choice, dtype=np.intp)
