"""Free text: each distinct text is a category, so the round trip is exact."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from synthcraft.errors import DataError
from synthcraft.metadata import Column
from synthcraft.transforms._base import Encoder, restore_dtype
from synthcraft.transforms._codes import (
    decode_ordinal,
    encode_codes,
    learn_categories,
    object_values,
    values_from_codes,
)

__all__ = ["TextEncoder"]


class TextEncoder(Encoder, registry_name="text"):
    """Encode free text as one column of codes: each distinct text is a category.

    Codes follow falling frequency (code 0 is the most common text; ties by text), and missing
    values are the last code when the fit data had any. Codes decode by rounding, clipped to the
    valid codes, so decoded texts are always texts seen at fit time. The learned state holds
    every distinct text: encode sensitive free text as PII or drop it before fitting.

    Examples
    --------
    >>> import pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> s = pd.Series(["hi", "yo", "hi"], dtype="str", name="t")
    >>> enc = TextEncoder().fit(s, Column("t", ColumnKind.TEXT, "str"))
    >>> enc.transform(s).ravel().tolist()
    [0.0, 1.0, 0.0]
    """

    _learned: ClassVar[dict[str, type | tuple[type, ...]]] = {"texts_": list}

    texts_: list[Any]

    def __init__(self) -> None:
        pass

    def _fit(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        if not (
            pd.api.types.is_string_dtype(series.dtype) or pd.api.types.is_object_dtype(series.dtype)
        ):
            raise DataError(
                f"column {column.name!r} has dtype {series.dtype}, not text; declare its kind "
                "to match its values"
            )
        values = object_values(series, missing, column.name)
        self.texts_ = learn_categories(values, missing, column.categories, by_frequency=True)

    def _transform(self, series: pd.Series, missing: np.ndarray) -> np.ndarray:
        values = object_values(series, missing, self.column_.name)
        return encode_codes(values, missing, self.texts_, self.column_.name).astype(np.float64)

    def _inverse(self, array: np.ndarray, rng: np.random.Generator | None, start: int) -> pd.Series:
        codes = decode_ordinal(array[:, 0], len(self.texts_) + int(self.has_missing_))
        values = values_from_codes(codes, self.texts_)
        return restore_dtype(values, self.dtype_, self.column_.name)

    def _output_names(self) -> list[str]:
        return [self.column_.name]
