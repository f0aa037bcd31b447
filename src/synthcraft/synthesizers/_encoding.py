"""Lean per-column encodings shared by the models: numbers as float64, categories as codes.

A :class:`ColumnCodec` turns one modelled column into a plain numpy array and back:

* integer, float and datetime columns become ``float64`` (datetimes as seconds since the Unix
  epoch, UTC), ``NaN`` for missing;
* categorical, boolean and text columns become ``int64`` codes into the stored categories,
  :data:`MISSING` (-1) for missing and :data:`POOLED` (-2) for values of pooled rare categories.

Decoding rounds (whole numbers, the stored decimals, the datetime resolution), clips to the
stored bounds and casts to the column's dtype, so output always respects the stored metadata.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api import types as ptypes

from synthcraft.errors import UserInputError
from synthcraft.metadata import Column, ColumnKind, Metadata, Scalar

__all__ = [
    "CATEGORY_KINDS",
    "MISSING",
    "MODELLED_KINDS",
    "NUMERIC_KINDS",
    "POOLED",
    "ColumnCodec",
    "cast_series",
    "datetime_step_us",
    "datetime_steps",
    "numeric_values",
    "text_series",
]

NUMERIC_KINDS = frozenset({ColumnKind.INTEGER, ColumnKind.FLOAT, ColumnKind.DATETIME})
CATEGORY_KINDS = frozenset({ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN, ColumnKind.TEXT})
MODELLED_KINDS = NUMERIC_KINDS | CATEGORY_KINDS
MISSING = -1
POOLED = -2

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
_STEPS_US = (86_400_000_000, 3_600_000_000, 60_000_000, 1_000_000, 1_000, 1)


def numeric_values(series: pd.Series, column: Column) -> F64:
    """A number or datetime column as float64 (datetimes: seconds since the epoch), NaN missing."""
    if column.kind is ColumnKind.DATETIME:
        return _seconds(series, column)
    if ptypes.is_bool_dtype(series.dtype):
        flags = series.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
        return np.asarray(flags, dtype=np.float64)
    numbers = pd.to_numeric(series, errors="coerce")
    return np.asarray(numbers.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def _seconds(series: pd.Series, column: Column) -> F64:
    stamps = series
    if not ptypes.is_datetime64_any_dtype(series.dtype):
        fmt = column.datetime_format or "ISO8601"
        stamps = pd.to_datetime(series.astype(object), errors="coerce", format=fmt, utc=True)
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    micros = stamps.dt.as_unit("us").to_numpy(dtype="datetime64[us]")
    out: F64 = micros.astype(np.int64).astype(np.float64) / 1e6
    out[np.isnat(micros)] = np.nan
    return out


def datetime_step_us(seconds: F64) -> int:
    """The coarsest resolution (a day, hour, minute, second, ms or us) dividing every value."""
    values = seconds[np.isfinite(seconds)]
    micros = np.round(values * 1e6).astype(np.int64)
    for step in _STEPS_US:
        if not np.any(micros % step):
            return step
    return 1


def datetime_steps(data: pd.DataFrame, metadata: Metadata) -> dict[str, int]:
    """Resolution (microseconds) of every datetime column with values: schema, not a learned
    value."""
    return {
        c.name: datetime_step_us(numeric_values(data[c.name], c))
        for c in metadata
        if c.kind is ColumnKind.DATETIME and data[c.name].notna().any()
    }


def text_series(values: npt.NDArray[Any], missing: npt.NDArray[np.bool_] | None) -> pd.Series:
    """A pandas ``str`` series from an array of strings, missing where ``missing``."""
    arr = pa.array(np.asarray(values, dtype=object), type=pa.large_string(), mask=missing)
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    return pd.Series(arr.to_pandas(types_mapper=lambda _: dtype), copy=False)


def cast_series(series: pd.Series, dtype: str) -> pd.Series:
    """``series`` cast to ``dtype`` when it differs (kept as is when the cast cannot hold it)."""
    if str(series.dtype) == dtype:
        return series
    try:
        cast: pd.Series = series.astype(dtype)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return series
    return cast


def _holds_non_text(series: pd.Series) -> bool:
    """True for an object series whose values are not strings (e.g. Python booleans)."""
    if series.dtype != object:
        return False
    present = series.dropna()
    return len(present) > 0 and not isinstance(present.iloc[0], str)


def _json_scalar(value: Any) -> Scalar:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    return str(value)


@dataclass(frozen=True)
class ColumnCodec:
    """How one modelled column is encoded; built from its privatised :class:`Column`.

    Parameters
    ----------
    column : Column
        The privatised column (bounds, decimals, categories, dtype).
    step_us : int or None
        Resolution of a datetime column in microseconds.
    """

    column: Column
    step_us: int | None = None

    @property
    def name(self) -> str:
        """Column name."""
        return self.column.name

    @property
    def numeric(self) -> bool:
        """True for integer, float and datetime columns."""
        return self.column.kind in NUMERIC_KINDS

    @property
    def categories(self) -> tuple[Scalar, ...]:
        """Stored categories (empty for numbers)."""
        return tuple(self.column.categories or ())

    @property
    def bounds(self) -> tuple[float, float] | None:
        """Stored (minimum, maximum), or None for an entirely missing column."""
        lo, hi = self.column.minimum, self.column.maximum
        return None if lo is None or hi is None else (float(lo), float(hi))

    def encode(self, series: pd.Series) -> npt.NDArray[Any]:
        """float64 values (numbers) or int64 codes (categories) of ``series``."""
        if self.numeric:
            return numeric_values(series, self.column)
        missing = series.isna().to_numpy(dtype=bool)
        codes = self._codes(series)
        codes[(codes < 0) & ~missing] = POOLED
        codes[missing] = MISSING
        return codes

    def _codes(self, series: pd.Series) -> I64:
        cats = list(self.categories)
        if not cats:
            return np.full(len(series), POOLED, dtype=np.int64)
        if isinstance(series.dtype, pd.StringDtype) and all(isinstance(c, str) for c in cats):
            found = pc.index_in(pa.array(series.array), value_set=pa.array(cats, pa.string()))
            return np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int64)
        values = series
        if all(isinstance(c, str) for c in cats) and not ptypes.is_string_dtype(series.dtype):
            values = series.astype("str")
        elif (
            ptypes.is_string_dtype(series.dtype)
            and not all(isinstance(c, str) for c in cats)
            and not _holds_non_text(series)
        ):
            cats = [str(c) for c in cats]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        codes = pd.Index(cats, dtype=object).get_indexer(pd.Index(values))
        return np.asarray(codes, dtype=np.int64)

    def decode(self, values: npt.NDArray[Any]) -> pd.Series:
        """A series of the column's dtype from encoded ``values`` (rounded, clipped)."""
        if self.numeric:
            return self._decode_numeric(np.asarray(values, dtype=np.float64))
        return self._decode_codes(np.asarray(values, dtype=np.int64))

    def finish(self, values: F64) -> F64:
        """Round to the column's resolution and clip to its bounds (NaN stays NaN)."""
        kind = self.column.kind
        out = values
        if kind is ColumnKind.INTEGER:
            out = np.round(out)
        elif kind is ColumnKind.FLOAT and self.column.decimals is not None:
            out = np.round(out, self.column.decimals)
        elif kind is ColumnKind.DATETIME and self.step_us:
            step = float(self.step_us)
            out = np.round(np.round(out * 1e6) / step) * step / 1e6
        bounds = self.bounds
        if bounds is not None:
            out = np.clip(out, bounds[0], bounds[1])
        return out

    def _decode_numeric(self, values: F64) -> pd.Series:
        out = self.finish(values)
        missing = np.isnan(out)
        kind, dtype = self.column.kind, self.column.dtype
        if kind is ColumnKind.INTEGER:
            ints = np.where(missing, 0, out).astype(np.int64)
            series = pd.Series(pd.arrays.IntegerArray(ints, missing), copy=False)
        elif kind is ColumnKind.FLOAT:
            series = pd.Series(out, copy=False)
        else:
            micros = np.round(np.where(missing, 0, out) * 1e6).astype(np.int64)
            stamps = micros.astype("datetime64[us]")
            stamps[missing] = np.datetime64("NaT")
            series = pd.Series(stamps, copy=False)
            if self.column.timezone is not None:
                series = series.dt.tz_localize("UTC").dt.tz_convert(self.column.timezone)
            if not dtype.startswith("datetime64"):
                fmt = self.column.datetime_format or _iso_format(self.step_us)
                return cast_series(series.dt.strftime(fmt), dtype)
        return cast_series(series, dtype)

    def _decode_codes(self, codes: I64) -> pd.Series:
        cats, dtype = self.categories, self.column.dtype
        missing = codes < 0
        if not cats:
            return cast_series(pd.Series(np.full(codes.size, np.nan), copy=False), dtype)
        if dtype == "str" or (ptypes.is_string_dtype(dtype) and dtype != "object"):
            table = pa.array([str(c) for c in cats], type=pa.large_string())
            taken = table.take(pa.array(np.where(missing, 0, codes), mask=missing))
            series = pd.Series(
                taken.to_pandas(types_mapper=lambda _: pd.StringDtype("pyarrow", na_value=np.nan))
            )
            return cast_series(series, dtype)
        safe = np.where(missing, 0, codes)
        if all(isinstance(c, bool) for c in cats):
            flags = np.array(cats, dtype=bool)[safe]
            return cast_series(pd.Series(pd.arrays.BooleanArray(flags, missing), copy=False), dtype)
        if all(isinstance(c, int) and not isinstance(c, bool) for c in cats):
            ints = np.array(cats, dtype=np.int64)[safe]
            return cast_series(pd.Series(pd.arrays.IntegerArray(ints, missing), copy=False), dtype)
        index = pd.Index(list(cats), dtype=object)
        series = pd.Series(pd.Categorical.from_codes(np.where(missing, -1, codes), index))
        if dtype == "category":
            return series
        return cast_series(series.astype(object), dtype)

    def encode_condition(self, values: Sequence[Any] | pd.Series) -> tuple[Any, Any]:
        """Encoded condition values and which rows are conditioned (missing cells are free).

        Raises :class:`UserInputError` for values the model can never produce.
        """
        series = pd.Series(values, copy=False).reset_index(drop=True)
        present = ~series.isna().to_numpy(dtype=bool)
        if not present.any():
            return np.zeros(len(series)), present
        if self.numeric:
            return self._numeric_condition(series, present), present
        codes = self._codes(series)
        bad = present & (codes < 0)
        if bad.any():
            shown = ", ".join(repr(c) for c in self.categories[:10]) or "(none)"
            raise UserInputError(
                f"condition {self.name}={series[bad].iloc[0]!r} is not a value the model can "
                f"produce; use one of: {shown}"
            )
        return codes, present

    def _numeric_condition(self, series: pd.Series, present: npt.NDArray[np.bool_]) -> F64:
        name = self.name
        if self.column.kind is ColumnKind.DATETIME:
            stamps = pd.to_datetime(series, errors="coerce")
            if isinstance(stamps.dtype, pd.DatetimeTZDtype):
                stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
            elif self.column.timezone is not None and ptypes.is_datetime64_dtype(stamps.dtype):
                stamps = stamps.dt.tz_localize(self.column.timezone).dt.tz_convert("UTC")
            numbers = _seconds(stamps, self.column)
        else:
            if any(isinstance(v, (bool, np.bool_)) for v in series[present]):
                raise UserInputError(f"condition for {name!r} must be a number, not true/false")
            numbers = pd.to_numeric(series, errors="coerce").to_numpy(np.float64, na_value=np.nan)
        bad = present & ~np.isfinite(numbers)
        if bad.any():
            what = "a datetime" if self.column.kind is ColumnKind.DATETIME else "a number"
            raise UserInputError(
                f"condition for {name!r} must be {what}, got {series[bad].iloc[0]!r}"
            )
        if self.column.kind is ColumnKind.INTEGER and np.any(numbers[present] % 1):
            raise UserInputError(f"condition for {name!r} must be a whole number")
        bounds = self.bounds
        if bounds is None:
            raise UserInputError(
                f"column {name!r} was always missing in the training data; it cannot be fixed"
            )
        lo, hi = bounds
        tol = 1e-9 * max(1.0, abs(lo), abs(hi))
        outside = present & ((numbers < lo - tol) | (numbers > hi + tol))
        if outside.any():
            raise UserInputError(
                f"condition {name}={series[outside].iloc[0]!r} is outside the model's range "
                f"{_show(lo, self.column)} – {_show(hi, self.column)}; choose a value inside it"
            )
        return numbers


def _iso_format(step_us: int | None) -> str:
    if step_us is not None and step_us % _STEPS_US[0] == 0:
        return "%Y-%m-%d"
    return (
        "%Y-%m-%d %H:%M:%S"
        if step_us is not None and step_us % 1_000_000 == 0
        else "%Y-%m-%dT%H:%M:%S.%f"
    )


def _show(value: float, column: Column) -> str:
    if column.kind is ColumnKind.DATETIME:
        return str(pd.Timestamp(round(value * 1e6), unit="us"))
    if math.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return f"{value:.10g}"


def category_scalar(value: Any) -> Scalar:
    """A JSON scalar for a category value (numpy scalars become Python ones)."""
    return _json_scalar(value)
