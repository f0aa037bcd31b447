"""The ``independent`` model: every column on its own, the floor every model must beat."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from synthcraft._types import ProgressCallback
from synthcraft.synthesizers._base import BaseSynthesizer, EncodedConditions
from synthcraft.synthesizers._encoding import ColumnCodec
from synthcraft.synthesizers._marginals import (
    category_codes,
    category_cuts,
    category_grid,
    category_probs,
    empirical_table,
    lookup,
)
from synthcraft.synthesizers._registry import register
from synthcraft.synthesizers._tags import Tags

__all__ = ["IndependentSynthesizer"]


@register("independent")
class IndependentSynthesizer(BaseSynthesizer):
    """Independent columns: each column's own distribution, no dependence (the baseline).

    Numbers and datetimes come from a smoothed empirical inverse CDF (a table of about 1,000
    interpolated quantiles, so values are not copied verbatim; whole numbers rounded, decimals
    kept), categories and booleans from their frequencies, and every column keeps its share of
    missing values. Conditions simply fix the conditioned columns (the others do not depend on
    them).

    Parameters
    ----------
    seed : int, optional
        Fit seed (this model's fit uses no randomness; kept for a uniform interface).
    rare_category_k : int
        Categories seen in fewer rows are pooled and never emitted.
    bounds_quantile : float
        Stored bounds are this quantile and its complement of the training values.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"x": [float(i % 7) for i in range(50)]})
    >>> IndependentSynthesizer(seed=0).fit(data).sample(3, seed=1).shape
    (3, 1)
    """

    tags = Tags(conditions=frozenset({"fixed", "rows"}), deterministic_fit=True)

    def __init__(
        self,
        *,
        seed: int | None = None,
        rare_category_k: int = 5,
        bounds_quantile: float = 0.001,
    ) -> None:
        self.seed = seed
        self.rare_category_k = rare_category_k
        self.bounds_quantile = bounds_quantile

    def _fit_model(
        self,
        codecs: Sequence[ColumnCodec],
        data: Mapping[str, npt.NDArray[Any]],
        rng: np.random.Generator,
        progress: ProgressCallback | None,
    ) -> None:
        missing: list[float] = []
        tables: list[npt.NDArray[np.float64]] = []
        for i, codec in enumerate(codecs):
            values = data[codec.name]
            if codec.numeric:
                observed = values[~np.isnan(values)]
                bounds = codec.bounds
                share = 1.0 - observed.size / max(values.size, 1)
                if observed.size and bounds is not None:
                    tables.append(empirical_table(observed, *bounds, k=self.rare_category_k))
                else:
                    tables.append(np.zeros(0))
            else:
                share = float(np.mean(values == -1))
                tables.append(category_probs(values, len(codec.categories)))
            missing.append(share)
            if progress is not None:
                progress(i + 1, len(codecs))
        self.missing_shares_ = np.asarray(missing, dtype=np.float64)
        self.tables_ = tables

    def _sample_model(
        self,
        seed: np.random.SeedSequence,
        n_rows: int,
        conditions: EncodedConditions | None,
    ) -> dict[str, npt.NDArray[Any]]:
        width = len(self.codecs_)
        scores = self._stream(seed, 0).standard_normal((n_rows, width))
        gaps = self._stream(seed, 1).random((n_rows, width))
        out: dict[str, npt.NDArray[Any]] = {}
        for j, codec in enumerate(self.codecs_):
            table = self.tables_[j]
            absent = gaps[:, j] < self.missing_shares_[j]
            if codec.numeric:
                values = lookup(scores[:, j], table) if table.size else np.full(n_rows, np.nan)
                values[absent] = np.nan
                out[codec.name] = values
            else:
                cuts = category_cuts(table)
                codes = category_codes(scores[:, j], cuts, category_grid(cuts))
                codes[absent] = -1
                out[codec.name] = codes
        return out

    def _model_state(self) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
        arrays = {f"table{j}": t for j, t in enumerate(self.tables_)}
        arrays["missing"] = self.missing_shares_
        return {"columns": len(self.tables_)}, arrays

    def _load_model_state(
        self, state: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]
    ) -> None:
        count = int(state["columns"])
        self.tables_ = [np.asarray(arrays[f"table{j}"], dtype=np.float64) for j in range(count)]
        self.missing_shares_ = np.asarray(arrays["missing"], dtype=np.float64)
