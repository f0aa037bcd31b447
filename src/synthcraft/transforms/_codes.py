"""Category codes shared by the categorical, boolean and text encoders.

Missing values are a category of their own: the code after the last real category.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.errors import DataError

__all__ = [
    "category_key",
    "decode_onehot",
    "decode_ordinal",
    "encode_codes",
    "learn_categories",
    "object_values",
    "onehot",
    "values_from_codes",
]

_SCALARS = (str, int, float, bool)


def category_key(value: Any) -> tuple[str, Any]:
    """Sort key that orders values of mixed types without comparing across types."""
    return (type(value).__name__, value)


def object_values(series: pd.Series, missing: np.ndarray, name: str) -> np.ndarray:
    """The values as an object array of Python scalars, ``None`` where missing."""
    values = series.astype(object).to_numpy(dtype=object, copy=True)
    values[missing] = None
    try:
        uniques = pd.unique(values[~missing])
    except TypeError:
        raise DataError(
            f"column {name!r} holds values such as lists that cannot be categories; convert "
            "the column to text or numbers"
        ) from None
    if any(isinstance(value, np.generic) for value in uniques):
        present = values[~missing]
        values[~missing] = [v.item() if isinstance(v, np.generic) else v for v in present]
        uniques = pd.unique(values[~missing])
    for value in uniques:
        if not isinstance(value, _SCALARS) or (isinstance(value, float) and not np.isfinite(value)):
            raise DataError(
                f"column {name!r} has the value {value!r} of type {type(value).__name__}, which "
                "cannot be a category; convert the column to text or numbers"
            )
    return values


def learn_categories(
    values: np.ndarray,
    missing: np.ndarray,
    declared: Iterable[Any] | None,
    *,
    by_frequency: bool = False,
) -> list[Any]:
    """Declared categories in order, then the other observed values.

    Observed values are sorted by value, or by falling frequency (ties by value) when
    ``by_frequency``.
    """
    present = values[~missing]
    if by_frequency:
        counts = pd.Series(present, dtype=object).value_counts(sort=False)
        pairs = sorted(counts.items(), key=lambda kv: (-int(kv[1]), category_key(kv[0])))
        observed = [value for value, _ in pairs]
    else:
        observed = sorted(pd.unique(present).tolist(), key=category_key)
    categories = list(dict.fromkeys(declared or ()))
    known = set(categories)
    categories.extend(value for value in observed if value not in known)
    return categories


def encode_codes(
    values: np.ndarray, missing: np.ndarray, categories: Sequence[Any], name: str
) -> np.ndarray:
    """Integer code of each value; missing values get ``len(categories)``."""
    codes = pd.Index(list(categories), dtype=object).get_indexer(values)
    unseen = (codes < 0) & ~missing
    if unseen.any():
        example = values[np.flatnonzero(unseen)[0]]
        raise DataError(
            f"column {name!r} has {int(unseen.sum())} values not seen when the encoder was "
            f"fitted, e.g. {example!r}; refit on data that includes them or declare them as "
            "categories in the metadata"
        )
    codes[missing] = len(categories)
    out: np.ndarray = codes.astype(np.int64)
    return out


def onehot(codes: np.ndarray, width: int) -> np.ndarray:
    """One-hot float64 rows for ``codes`` in ``0 .. width-1``."""
    out = np.zeros((len(codes), width), dtype=np.float64)
    out[np.arange(len(codes)), codes] = 1.0
    return out


def decode_onehot(array: np.ndarray) -> np.ndarray:
    """Codes by argmax per row (first column wins ties); NaN counts as the lowest score."""
    codes: np.ndarray = np.argmax(np.nan_to_num(array, nan=-np.inf), axis=1).astype(np.int64)
    return codes


def decode_ordinal(column: np.ndarray, n_codes: int) -> np.ndarray:
    """Codes by rounding to the nearest whole number within ``0 .. n_codes-1``."""
    scores = np.nan_to_num(column, nan=0.0, posinf=n_codes - 1, neginf=0.0)
    codes: np.ndarray = np.clip(np.rint(scores), 0, n_codes - 1).astype(np.int64)
    return codes


def values_from_codes(codes: np.ndarray, categories: Sequence[Any]) -> np.ndarray:
    """Object array of category values, ``None`` for the missing code ``len(categories)``."""
    table = np.empty(len(categories) + 1, dtype=object)
    table[: len(categories)] = list(categories)
    table[len(categories)] = None
    values: np.ndarray = table[codes]
    return values
