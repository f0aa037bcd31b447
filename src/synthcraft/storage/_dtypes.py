"""The canonical dtype policy for in-memory frames, and the storage kinds writers use."""

from __future__ import annotations

import datetime as dt
import json
import math
import warnings
from collections.abc import Hashable, Iterable
from enum import StrEnum
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from synthcraft.errors import DataError, UserInputError
from synthcraft.storage._formats import DataWarning
from synthcraft.storage._infer import Notes, drop_infinite, infer_text

__all__ = [
    "Kind",
    "canonical_column",
    "canonicalize",
    "check_names",
    "iso_strings",
    "kind_of",
    "python_values",
    "scalar_text",
    "text_of",
    "to_kind",
    "warn_notes",
]


class Kind(StrEnum):
    """How a column is stored: one per canonical dtype."""

    INT = "Int64"
    FLOAT = "float64"
    BOOL = "boolean"
    DATETIME = "datetime64[us]"
    DATETIME_UTC = "datetime64[us, UTC]"
    TEXT = "str"


def check_names(names: Iterable[Hashable], *, fold_case: bool = False) -> list[str]:
    """Column names as strings; duplicates raise :class:`DataError` naming them.

    With ``fold_case`` (databases: SQLite and DuckDB ignore case in names), names that differ
    only in case are duplicates too.
    """
    out = [n if isinstance(n, str) else str(n) for n in names]
    seen: dict[str, str] = {}
    dups: list[str] = []
    for n in out:
        key = n.casefold() if fold_case else n
        if key in seen:
            first = seen[key]
            shown_pair = repr(first) if first == n else f"{first!r} and {n!r}"
            if shown_pair not in dups:
                dups.append(shown_pair)
        seen.setdefault(key, n)
    if dups:
        shown = ", ".join(dups)
        where = " (databases ignore case in names)" if fold_case else ""
        raise DataError(
            f"duplicate column names {shown}{where}; rename them so every name is unique"
        )
    return out


def warn_notes(notes: Notes) -> None:
    """Emit one :class:`DataWarning` per kind of finding in ``notes``."""
    for message in notes.messages():
        warnings.warn(message, DataWarning, stacklevel=3)


def canonicalize(df: pd.DataFrame) -> pd.DataFrame:
    """Apply the canonical dtype policy to an in-memory frame.

    The same rules :func:`synthcraft.storage.read_table` applies to every file format (see its
    docstring): string column names, nullable ``Int64`` / ``boolean``, ``float64`` without
    infinities, ``datetime64[us]`` (UTC when time-zone aware) and ``str`` text with typed text
    columns (numbers, booleans, ISO dates) converted.

    Parameters
    ----------
    df : pandas.DataFrame
        Any frame; it is not modified.

    Returns
    -------
    pandas.DataFrame
        A new frame with the same index and canonical dtypes.

    Examples
    --------
    >>> out = canonicalize(pd.DataFrame({"n": ["1", "N/A", "3"], "b": ["True", "false", None]}))
    >>> [str(t) for t in out.dtypes]
    ['Int64', 'boolean']
    """
    if not isinstance(df, pd.DataFrame):
        raise UserInputError(f"expected a pandas DataFrame, got {type(df).__name__}")
    names = check_names(df.columns)
    notes = Notes()
    columns = {
        name: canonical_column(df.iloc[:, i].reset_index(drop=True), name, notes)
        for i, name in enumerate(names)
    }
    out = pd.DataFrame(columns, index=pd.RangeIndex(len(df)))
    out.index = df.index
    warn_notes(notes)
    return out


def canonical_column(s: pd.Series, name: str, notes: Notes) -> pd.Series:
    """One column (with a RangeIndex) under the canonical policy."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return canonical_column(s.astype(object), name, notes)
    if pd.api.types.is_bool_dtype(dtype):
        return s.astype("boolean")
    if pd.api.types.is_integer_dtype(dtype):
        return _to_int64(s, name, notes)
    if pd.api.types.is_float_dtype(dtype):
        return drop_infinite(s.astype("float64"), name, notes)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return cast(pd.Series, s.dt.tz_convert("UTC").dt.as_unit("us"))
    if pd.api.types.is_datetime64_dtype(dtype):
        return cast(pd.Series, s.dt.as_unit("us"))
    if isinstance(dtype, pd.StringDtype) or _is_arrow_string(dtype):
        return infer_text(s, name, notes)
    if pd.api.types.is_object_dtype(dtype):
        return _object_column(s, name, notes)
    return infer_text(text_of(s), name, notes)


def _is_arrow_string(dtype: object) -> bool:
    return isinstance(dtype, pd.ArrowDtype) and pd.api.types.is_string_dtype(dtype)


def _to_int64(s: pd.Series, name: str, notes: Notes) -> pd.Series:
    try:
        return s.astype("Int64")
    except (OverflowError, TypeError, ValueError):
        notes.overflow.append(name)
        return s.astype("float64")


def _object_column(s: pd.Series, name: str, notes: Notes) -> pd.Series:
    inferred = pd.api.types.infer_dtype(s, skipna=True)
    if inferred == "string":
        return infer_text(s, name, notes)
    if inferred == "boolean":
        return s.astype("boolean")
    if inferred == "integer":
        try:
            return s.astype("Int64")
        except (OverflowError, TypeError, ValueError):
            return infer_text(text_of(s), name, notes)
    if inferred in ("floating", "mixed-integer-float", "decimal"):
        return drop_infinite(pd.to_numeric(s).astype("float64"), name, notes)
    return infer_text(text_of(s), name, notes)


def scalar_text(value: Any) -> str:
    """One value as text: booleans true/false, floats by repr, dates ISO, containers JSON."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def text_of(s: pd.Series) -> pd.Series:
    """Any column as ``str`` values (booleans as true/false, dates ISO), missing kept missing."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.na_value is np.nan:
        return s
    missing = s.isna().to_numpy()
    values = [None if m else scalar_text(v) for v, m in zip(s.tolist(), missing, strict=True)]
    return pd.Series(values, index=s.index, dtype="str")


def kind_of(s: pd.Series) -> Kind:
    """The storage kind a writer uses for a column (from its dtype; object columns inspected)."""
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return Kind.TEXT
    if pd.api.types.is_bool_dtype(dtype):
        return Kind.BOOL
    if pd.api.types.is_integer_dtype(dtype):
        return Kind.INT
    if pd.api.types.is_float_dtype(dtype):
        return Kind.FLOAT
    if isinstance(dtype, pd.DatetimeTZDtype):
        return Kind.DATETIME_UTC
    if pd.api.types.is_datetime64_dtype(dtype):
        return Kind.DATETIME
    if pd.api.types.is_object_dtype(dtype):
        inferred = pd.api.types.infer_dtype(s, skipna=True)
        if inferred == "boolean":
            return Kind.BOOL
        if inferred == "integer":
            return Kind.INT
        if inferred in ("floating", "mixed-integer-float", "decimal"):
            return Kind.FLOAT
    return Kind.TEXT


def to_kind(s: pd.Series, kind: Kind) -> pd.Series:
    """Convert a column to the dtype of ``kind`` (no text typing); raises on impossible values."""
    if kind is Kind.TEXT:
        return text_of(s)
    if kind is Kind.FLOAT:
        return pd.to_numeric(s).astype("float64") if s.dtype == object else s.astype("float64")
    if kind in (Kind.DATETIME, Kind.DATETIME_UTC):
        utc = kind is Kind.DATETIME_UTC
        if not (isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(s)):
            s = pd.to_datetime(s, utc=utc, format="ISO8601")
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            s = s.dt.tz_convert("UTC") if utc else s.dt.tz_convert("UTC").dt.tz_localize(None)
        elif utc:
            raise DataError("naive datetimes cannot be written where time-zone aware ones were")
        return cast(pd.Series, s.dt.as_unit("us"))
    return s.astype(pd.Int64Dtype() if kind is Kind.INT else pd.BooleanDtype())


def iso_strings(s: pd.Series) -> list[str | None]:
    """ISO 8601 text for a datetime column (UTC values end in ``Z``), None where missing."""
    zone: Literal["UTC", "naive"] = "naive"
    naive = s
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        naive = s.dt.tz_convert("UTC").dt.tz_localize(None)
        zone = "UTC"
    values = naive.to_numpy(dtype="datetime64[us]")
    missing = np.isnat(values)
    present = values[~missing]
    unit: Literal["us", "s"] = "us" if np.any(present.astype("int64") % 1_000_000) else "s"
    text = np.datetime_as_string(values, unit=unit, timezone=zone)
    return [None if m else str(t) for t, m in zip(text.tolist(), missing.tolist(), strict=True)]


def python_values(s: pd.Series, kind: Kind) -> list[Any]:
    """Plain Python values of a canonical column (None for missing; datetimes as ISO text)."""
    if kind in (Kind.DATETIME, Kind.DATETIME_UTC):
        return iso_strings(s)
    values = s.tolist()
    if kind is Kind.FLOAT:
        return [None if math.isnan(v) else v for v in values]
    return [None if v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v for v in values]
