"""Categories: one-hot or ordinal codes, with missing values as a category of their own."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from synthcraft.errors import UserInputError
from synthcraft.metadata import Column
from synthcraft.transforms._base import Encoder, restore_dtype
from synthcraft.transforms._codes import (
    decode_onehot,
    decode_ordinal,
    encode_codes,
    learn_categories,
    object_values,
    onehot,
    values_from_codes,
)

__all__ = ["CategoricalEncoder"]

_MODES = ("onehot", "ordinal")


class CategoricalEncoder(Encoder, registry_name="categorical"):
    """Encode categories as one-hot columns (``mode="onehot"``) or one integer code column.

    The categories are the column's declared ``categories`` in their order, then any other value
    seen in the fit data, sorted. Missing values are one more category (``<name>=<missing>``,
    the last code) when the fit data had any. One-hot rows decode by argmax (the first column
    wins ties); ordinal codes decode by rounding, clipped to the valid codes. A value not seen at
    fit time makes :meth:`transform` raise a :class:`~synthcraft.errors.DataError` naming it.

    Parameters
    ----------
    mode : {"onehot", "ordinal"}
        One column per category, or one column of codes ``0 .. k-1``.

    Examples
    --------
    >>> import pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> s = pd.Series(["b", "a", None], dtype="str", name="c")
    >>> enc = CategoricalEncoder().fit(s, Column("c", ColumnKind.CATEGORICAL, "str"))
    >>> enc.output_names
    ['c=a', 'c=b', 'c=<missing>']
    >>> enc.inverse_transform(enc.transform(s)).equals(s)
    True
    """

    _params = ("mode",)
    _learned: ClassVar[dict[str, type | tuple[type, ...]]] = {
        "categories_": list,
        "ordered_": bool,
    }

    categories_: list[Any]
    ordered_: bool

    def __init__(self, *, mode: str = "onehot") -> None:
        self.mode = mode

    def _check_params(self) -> None:
        if self.mode not in _MODES:
            raise UserInputError(f"mode must be 'onehot' or 'ordinal', got {self.mode!r}")

    def _fit(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        values = object_values(series, missing, column.name)
        declared: list[Any] | None = list(column.categories) if column.categories else None
        self.ordered_ = False
        if isinstance(series.dtype, pd.CategoricalDtype):
            self.ordered_ = bool(series.dtype.ordered)
            if declared is None:
                dtype_categories = pd.Series(series.dtype.categories, dtype=object)
                declared = object_values(
                    dtype_categories, np.zeros(len(dtype_categories), dtype=bool), column.name
                ).tolist()
        self.categories_ = learn_categories(values, missing, declared)

    @property
    def n_codes_(self) -> int:
        """Number of codes: the categories plus one for missing values if the fit data had any."""
        return len(self.categories_) + int(self.has_missing_)

    def _transform(self, series: pd.Series, missing: np.ndarray) -> np.ndarray:
        values = object_values(series, missing, self.column_.name)
        codes = encode_codes(values, missing, self.categories_, self.column_.name)
        if self.mode == "onehot":
            return onehot(codes, self.n_codes_)
        return codes.astype(np.float64)

    def _inverse(self, array: np.ndarray, rng: np.random.Generator | None, start: int) -> pd.Series:
        if self.mode == "onehot":
            codes = decode_onehot(array)
        else:
            codes = decode_ordinal(array[:, 0], self.n_codes_)
        values = values_from_codes(codes, self.categories_)
        if self.dtype_ == "category":
            cats = pd.Categorical(values, categories=self.categories_, ordered=self.ordered_)
            return pd.Series(cats)
        return restore_dtype(values, self.dtype_, self.column_.name)

    def _output_names(self) -> list[str]:
        name = self.column_.name
        if self.mode == "ordinal":
            return [name]
        names = [f"{name}={category}" for category in self.categories_]
        return [*names, f"{name}=<missing>"] if self.has_missing_ else names
