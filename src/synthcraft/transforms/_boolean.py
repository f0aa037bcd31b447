"""Booleans: one 0/1 column, or three one-hot columns when values can be missing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from synthcraft.errors import DataError
from synthcraft.metadata import Column
from synthcraft.transforms._base import Encoder, check_finite, restore_dtype
from synthcraft.transforms._codes import decode_onehot, onehot, values_from_codes

__all__ = ["BooleanEncoder"]


class BooleanEncoder(Encoder, registry_name="boolean"):
    """Encode True/False as 1/0; with missing values, as one-hot False/True/missing.

    Without missing values in the fit data there is one column, decoded as True when it is at
    least 0.5. Otherwise missing is a category of its own: columns ``<name>=False``,
    ``<name>=True`` and ``<name>=<missing>``, decoded by argmax.

    Examples
    --------
    >>> import pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> s = pd.Series([True, None, False], dtype="boolean", name="b")
    >>> enc = BooleanEncoder().fit(s, Column("b", ColumnKind.BOOLEAN, "boolean"))
    >>> enc.transform(s).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """

    def __init__(self) -> None:
        pass

    def _fit(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        _truth(series, missing, column.name)

    def _transform(self, series: pd.Series, missing: np.ndarray) -> np.ndarray:
        truth = _truth(series, missing, self.column_.name)
        if not self.has_missing_:
            return truth.astype(np.float64)
        return onehot(np.where(missing, 2, truth.astype(np.int64)), 3)

    def _inverse(self, array: np.ndarray, rng: np.random.Generator | None, start: int) -> pd.Series:
        if self.has_missing_:
            codes = decode_onehot(array)
        else:
            check_finite(array[:, 0], np.zeros(len(array), dtype=bool), self.column_.name)
            codes = (array[:, 0] >= 0.5).astype(np.int64)
        values = values_from_codes(codes, [False, True])
        return restore_dtype(values, self.dtype_, self.column_.name)

    def _output_names(self) -> list[str]:
        name = self.column_.name
        if not self.has_missing_:
            return [name]
        return [f"{name}=False", f"{name}=True", f"{name}=<missing>"]


def _truth(series: pd.Series, missing: np.ndarray, name: str) -> np.ndarray:
    """True/False per row (False where missing); a DataError for values that are not booleans."""
    if not pd.api.types.is_bool_dtype(series.dtype):
        present = series[~missing]
        if not pd.api.types.is_object_dtype(series.dtype) or not all(
            isinstance(value, (bool, np.bool_)) for value in present
        ):
            raise DataError(
                f"column {name!r} has dtype {series.dtype}, not booleans; convert it to "
                "True/False or declare it categorical"
            )
    return series.astype("boolean").to_numpy(dtype=bool, na_value=False)
