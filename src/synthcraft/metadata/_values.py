"""Shared helpers for detection and validation: what a column's values are, as plain Python.

A column is sorted into one of a few *value families* once, here, so that detection and
validation agree on what counts as a number, a boolean, a datetime or text:

* ``"boolean"``: a boolean dtype, or an object column holding only ``True``/``False``;
* ``"integer"`` / ``"float"``: a numeric dtype, or an object column holding only numbers;
* ``"datetime"``: a datetime dtype, or an object column holding only dates and datetimes;
* ``"category"``: pandas ``category`` dtype;
* ``"text"``: everything else. Text is never parsed into numbers or dates here (that is what
  :mod:`synthcraft.storage` does when it reads a file); an object column that mixes types is text
  and its values are compared as ``str(value)``.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from synthcraft.errors import DataError

Family: TypeAlias = Literal["boolean", "integer", "float", "datetime", "category", "text", "empty"]

_OBJECT_FAMILIES: dict[str, Family] = {
    "boolean": "boolean",
    "integer": "integer",
    "floating": "float",
    "mixed-integer-float": "float",
    "decimal": "float",
    "datetime": "datetime",
    "datetime64": "datetime",
    "date": "datetime",
    "string": "text",
    "empty": "empty",
}


def family(series: pd.Series) -> Family:
    """The value family of ``series`` (see the module docstring)."""
    dtype = series.dtype
    if ptypes.is_bool_dtype(dtype):
        return "boolean"
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if ptypes.is_datetime64_any_dtype(dtype):
        return "datetime"
    if ptypes.is_integer_dtype(dtype):
        return "integer"
    if ptypes.is_float_dtype(dtype):
        return "float"
    if ptypes.is_string_dtype(dtype) and not ptypes.is_object_dtype(dtype):
        return "text"
    if ptypes.is_object_dtype(dtype):
        return _OBJECT_FAMILIES.get(ptypes.infer_dtype(series, skipna=True), "text")
    return "text"


def as_numbers(series: pd.Series) -> pd.Series:
    """Non-missing values of a numeric-family column as float64 or Int64 (object columns too)."""
    values = series.dropna()
    if ptypes.is_object_dtype(values.dtype):
        try:
            return values.astype("Int64")
        except (TypeError, ValueError, OverflowError):
            return values.astype("float64")
    return values


def as_datetimes(series: pd.Series, name: str) -> pd.Series:
    """Non-missing values of a datetime-family column as a datetime64 series.

    Object columns of aware datetimes with different offsets are converted to UTC; a column that
    mixes aware and naive datetimes raises :class:`DataError`.
    """
    values = series.dropna()
    if ptypes.is_datetime64_any_dtype(values.dtype):
        return values
    aware = {getattr(v, "tzinfo", None) is not None for v in values}
    if len(aware) > 1:
        raise DataError(
            f"column {name!r} mixes datetimes with and without a time zone; "
            "give them all a time zone (or none) before using it"
        )
    if aware == {True}:
        return pd.to_datetime(values, utc=True)
    return pd.to_datetime(values)


def as_text(series: pd.Series) -> pd.Series:
    """Non-missing values of a text-family column as strings (mixed objects via ``str``)."""
    values = series.dropna()
    if ptypes.is_string_dtype(values.dtype) and not ptypes.is_object_dtype(values.dtype):
        return values
    if ptypes.infer_dtype(values, skipna=True) in ("string", "empty"):
        return values.astype(str)
    return values.map(str).astype(str)


def to_scalar(value: Any) -> str | int | float | bool:
    """A JSON scalar for a category value: numpy scalars become Python ones, others ``str``."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return number if math.isfinite(number) else str(number)
    if isinstance(value, str):
        return value
    return str(value)


def show(value: Any) -> str:
    """A value as it appears in a message: strings quoted, numbers and dates plain."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, pd.Timestamp):
        return str(value)
    scalar = to_scalar(value)
    if isinstance(scalar, float):
        return format_number(scalar)
    return str(scalar)


def format_number(value: float) -> str:
    """A bound as people write it: ``17``, ``0.23``, ``1012.3``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.10g}"


def format_seconds(seconds: float, timezone: str | None) -> str:
    """Seconds since the epoch as a date (at midnight) or a date and time, in ``timezone``."""
    stamp = pd.Timestamp(round(seconds * 1e6), unit="us", tz="UTC")
    if timezone is not None and timezone != "UTC":
        with contextlib.suppress(ValueError, TypeError, KeyError):
            stamp = stamp.tz_convert(timezone)
    if stamp == stamp.normalize():
        return stamp.strftime("%Y-%m-%d")
    if stamp.microsecond:
        return stamp.strftime("%Y-%m-%d %H:%M:%S.%f")
    return stamp.strftime("%Y-%m-%d %H:%M:%S")


def epoch_seconds(values: pd.Series) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Seconds since the Unix epoch (UTC; naive values read as UTC) of non-missing datetimes."""
    if timezone_of(values) is not None:
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    micros: np.ndarray[Any, np.dtype[np.int64]] = (
        values.dt.as_unit("us").to_numpy(dtype="datetime64[us]").astype(np.int64)
    )
    return micros.astype(np.float64) / 1e6


def timezone_of(values: pd.Series) -> str | None:
    """The time zone name of a datetime64 series, or None when naive."""
    zone = values.dt.tz
    return None if zone is None else str(zone)
