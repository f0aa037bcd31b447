"""Numbers: affine standardisation with an exact round trip."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from synthcraft.errors import DataError
from synthcraft.metadata import Column, ColumnKind
from synthcraft.transforms._base import (
    Encoder,
    check_finite,
    missing_from,
    power_of_two_exponent,
    restore_dtype,
)

__all__ = ["NumericEncoder"]

_EXACT = 2**53  # whole numbers up to this size are exact in float64
_SAFE = 2**62  # int64 sums of two such numbers cannot overflow
_MAX_DECIMALS = 15


class NumericEncoder(Encoder, registry_name="numeric"):
    """Standardise a number column: ``(x - center) / 2**exponent``, plus a missing indicator.

    Whole-number dtypes (``Int64``) are shifted by an integer center and scaled by a power of
    two, so the round trip is exact for every value within 2**53 of the center; the inverse
    rounds and casts back to the fitted integer dtype. Floats are centred on their mean when the
    round trip, rounded to the column's ``decimals`` (or the decimals detected in the data, at
    most 15), gives back every fitted value exactly; otherwise they are only scaled by a power of
    two (exact). Nothing is clipped. Missing values become the mean (0 after scaling) in the value
    column and 1 in a ``<name>.missing`` column, which exists when the fit data had missing values.

    Examples
    --------
    >>> import pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> s = pd.Series([1, None, 3], dtype="Int64", name="n")
    >>> enc = NumericEncoder().fit(s, Column("n", ColumnKind.INTEGER, "Int64"))
    >>> enc.output_names
    ['n', 'n.missing']
    >>> enc.inverse_transform(enc.transform(s)).equals(s)
    True
    """

    _learned: ClassVar[dict[str, type | tuple[type, ...]]] = {
        "integer_": bool,
        "center_": (int, float),
        "exponent_": int,
        "decimals_": int,
        "fill_": (int, float),
    }

    integer_: bool
    center_: int | float
    exponent_: int
    decimals_: int | None
    fill_: float

    def __init__(self) -> None:
        pass

    def _fit(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        dtype = series.dtype
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
            raise DataError(
                f"column {column.name!r} has dtype {dtype}, not numbers; declare it "
                "categorical, boolean or text, or convert it to numbers"
            )
        if pd.api.types.is_integer_dtype(dtype):
            self._fit_integer(series, column, missing)
        else:
            self._fit_float(series, column, missing)

    def _fit_integer(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        if pd.api.types.is_unsigned_integer_dtype(series.dtype):
            top = series.max()
            if pd.notna(top) and int(top) >= _SAFE:
                raise DataError(f"column {column.name!r} has whole numbers of 2**62 or more")
        values = series.to_numpy(dtype=np.int64, na_value=0)[~missing]
        mean = float(values.mean()) if values.size else 0.0
        self.integer_ = True
        self.center_ = round(mean)
        self.exponent_ = power_of_two_exponent(float(values.std())) if values.size else 0
        self.decimals_ = 0
        self.fill_ = float(np.ldexp(mean - self.center_, -self.exponent_))
        self._integer_offsets(values, column.name)

    def _integer_offsets(self, values: np.ndarray, name: str) -> np.ndarray:
        if values.size and (values.max() >= _SAFE or values.min() <= -_SAFE):
            raise DataError(
                f"column {name!r} has whole numbers of 2**62 or more in size; "
                "declare it an id or text"
            )
        offsets = values - np.int64(self.center_)
        if offsets.size and int(np.abs(offsets).max()) > _EXACT:
            raise DataError(
                f"column {name!r} spans more than 2**53 whole numbers, which float64 "
                "cannot hold exactly; declare it an id or text"
            )
        return offsets

    def _fit_float(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)[~missing]
        if not np.isfinite(values).all():
            raise DataError(
                f"column {column.name!r} has infinite values; replace them with missing values "
                "or finite numbers"
            )
        given = column.decimals
        if given is None and column.kind is ColumnKind.INTEGER:
            given = 0
        with np.errstate(over="ignore", invalid="ignore"):
            target = values if given is None else np.round(values, given)
        decimals = given if given is not None else _detect_decimals(values)
        self.integer_ = False
        with np.errstate(over="ignore", invalid="ignore"):
            mean = float(values.mean()) if values.size else 0.0
            std = float(values.std()) if values.size else 1.0
        biggest = float(np.abs(values).max()) if values.size else 1.0
        candidates: list[tuple[float, int, int | None]] = []
        if np.isfinite(mean):
            candidates.append((mean, power_of_two_exponent(std), decimals))
        candidates.append((0.0, power_of_two_exponent(biggest), given))
        candidates.append((0.0, 0, given))
        for center, exponent, dec in candidates:
            self.center_, self.exponent_, self.decimals_ = center, exponent, dec
            if np.array_equal(self._decode(self._encode(values)), target):
                break
        self.fill_ = (
            float(np.ldexp(mean - self.center_, -self.exponent_)) if np.isfinite(mean) else 0.0
        )

    def _encode(self, values: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            return np.ldexp(values - self.center_, -self.exponent_)

    def _decode(self, scaled: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore", invalid="ignore"):
            values: np.ndarray = np.ldexp(scaled, self.exponent_) + self.center_
            if self.decimals_ is not None:
                values = np.round(values, self.decimals_)
        return values

    def _transform(self, series: pd.Series, missing: np.ndarray) -> np.ndarray:
        if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(
            series.dtype
        ):
            raise DataError(
                f"column {self.column_.name!r} has dtype {series.dtype}, but the encoder was "
                f"fitted on numbers ({self.dtype_}); convert the column or refit"
            )
        if self.integer_ and pd.api.types.is_integer_dtype(series.dtype):
            ints = series.to_numpy(dtype=np.int64, na_value=self.center_)
            offsets = self._integer_offsets(ints, self.column_.name)
            value = np.ldexp(offsets.astype(np.float64), -self.exponent_)
        else:
            value = self._encode(series.to_numpy(dtype=np.float64, na_value=np.nan))
        value[missing] = self.fill_
        if not np.isfinite(value).all():
            raise DataError(
                f"column {self.column_.name!r} has infinite values; replace them with missing "
                "values or finite numbers"
            )
        if not self.has_missing_:
            return value[:, None]
        return np.column_stack([value, missing.astype(np.float64)])

    def _inverse(self, array: np.ndarray, rng: np.random.Generator | None, start: int) -> pd.Series:
        scaled, missing = missing_from(array, self.has_missing_)
        check_finite(scaled, missing, self.column_.name)
        scaled = np.where(missing, 0.0, scaled)
        if self.integer_:
            steps = np.rint(np.ldexp(scaled, self.exponent_))
            if steps.size and np.abs(steps).max() >= _SAFE:
                raise DataError(
                    f"column {self.column_.name!r}: decoded whole numbers are too large for "
                    "int64; check the model output"
                )
            ints = steps.astype(np.int64) + np.int64(self.center_)
            values: Any = pd.arrays.IntegerArray(ints, missing)
        else:
            values = np.where(missing, np.nan, self._decode(scaled))
        return restore_dtype(values, self.dtype_, self.column_.name)

    def _output_names(self) -> list[str]:
        name = self.column_.name
        return [name, f"{name}.missing"] if self.has_missing_ else [name]


def _detect_decimals(values: np.ndarray) -> int | None:
    """Fewest decimals (0 to 15) that every value already has; None when they have more."""
    with np.errstate(over="ignore", invalid="ignore"):
        for decimals in range(_MAX_DECIMALS + 1):
            if np.array_equal(np.round(values, decimals), values):
                return decimals
    return None
