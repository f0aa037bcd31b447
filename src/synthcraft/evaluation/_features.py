"""Numeric views of mixed tables for classifiers and distances (evaluation's own encoding).

``evaluation`` imports ``metadata`` only, so it keeps this small encoder of its own rather than
using ``transforms``. The encoding is fitted on the real (training) rows and applied to every
frame, so all frames share one space.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthcraft.metadata import ColumnKind, Metadata

__all__ = ["FeatureSpace", "datetime_seconds", "fit_feature_space"]

_MAX_LEVELS = 50
_SKIP = (ColumnKind.ID, ColumnKind.PII, ColumnKind.TEXT)


def datetime_seconds(series: pd.Series) -> np.ndarray:
    """Seconds since the epoch (UTC for aware values) as float, NaN for missing."""
    s = series
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    values = pd.to_datetime(s, errors="coerce")
    out = (values - pd.Timestamp("1970-01-01")).dt.total_seconds()
    return out.to_numpy(dtype=float, na_value=np.nan)


@dataclass(frozen=True)
class _NumericPart:
    name: str
    is_datetime: bool
    lo: float
    scale: float
    has_missing: bool


@dataclass(frozen=True)
class _CategoricalPart:
    name: str
    levels: tuple[object, ...]


@dataclass(frozen=True)
class FeatureSpace:
    """Min-max scaled numbers (with missing indicators) and one-hot categories.

    Categories beyond the ``_MAX_LEVELS`` most frequent share one "other" column; ids, PII and
    free text are left out. Every feature lies in [0, 1], so Euclidean distances are comparable
    across columns.
    """

    numeric: tuple[_NumericPart, ...]
    categorical: tuple[_CategoricalPart, ...]

    @property
    def n_features(self) -> int:
        """Number of output columns."""
        num = sum(1 + int(p.has_missing) for p in self.numeric)
        return num + sum(len(p.levels) + 1 for p in self.categorical)

    def transform(self, data: pd.DataFrame) -> np.ndarray:
        """Encode ``data`` (which has at least the fitted columns) as a float64 matrix."""
        parts: list[np.ndarray] = []
        for p in self.numeric:
            col = data[p.name]
            if p.is_datetime:
                x = datetime_seconds(col)
            else:
                x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            missing = ~np.isfinite(x)
            scaled = np.clip((np.where(missing, p.lo, x) - p.lo) / p.scale, -1.0, 2.0)
            parts.append(scaled[:, None])
            if p.has_missing:
                parts.append(missing[:, None].astype(float))
        for c in self.categorical:
            values = data[c.name].astype(object).to_numpy()
            codes = pd.Index(c.levels).get_indexer(pd.Index(values))
            onehot = np.zeros((len(values), len(c.levels) + 1))
            onehot[np.arange(len(values)), np.where(codes < 0, len(c.levels), codes)] = 1.0
            parts.append(onehot)
        if not parts:
            return np.zeros((len(data), 0))
        return np.hstack(parts)


def fit_feature_space(
    real: pd.DataFrame, metadata: Metadata, *, exclude: Sequence[str] = ()
) -> FeatureSpace:
    """Learn scales and levels from ``real`` for the columns of ``metadata``."""
    numeric: list[_NumericPart] = []
    categorical: list[_CategoricalPart] = []
    for col in metadata:
        if col.name in exclude or col.kind in _SKIP or col.name not in real:
            continue
        series = real[col.name]
        if col.kind.is_numeric or col.kind is ColumnKind.DATETIME:
            is_dt = col.kind is ColumnKind.DATETIME
            x = (
                datetime_seconds(series)
                if is_dt
                else pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            )
            finite = x[np.isfinite(x)]
            lo = float(finite.min()) if finite.size else 0.0
            hi = float(finite.max()) if finite.size else 1.0
            numeric.append(
                _NumericPart(col.name, is_dt, lo, (hi - lo) or 1.0, bool((~np.isfinite(x)).any()))
            )
        else:
            counts = series.astype(object).value_counts(dropna=True)
            levels = tuple(counts.index[:_MAX_LEVELS])
            categorical.append(_CategoricalPart(col.name, levels))
    return FeatureSpace(tuple(numeric), tuple(categorical))
