"""Validity: does a table keep what its metadata declares (ranges, categories, keys, formats)?

Each check gives the share of a column's values that pass it; the score is the mean share over
all checks. Checks: ``range`` (numbers and datetimes inside the declared minimum and maximum),
``categories`` (values among the declared categories), ``whole`` (integer columns hold whole
numbers), ``decimals`` (floats keep their declared decimal places), ``unique`` (the primary key
and columns declared unique have no repeats; a missing key counts as invalid), ``format``
(datetimes stored as text parse with their declared format) and ``dtype`` (the column has its
declared pandas dtype: 1 or 0).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.evaluation._encode import check_frame
from synthcraft.evaluation._features import datetime_seconds
from synthcraft.evaluation._result import MetricResult
from synthcraft.metadata import Column, ColumnKind, Metadata

__all__ = ["validity"]

_MAX_EXAMPLE = 60


def _example(values: pd.Series) -> str | None:
    if values.empty:
        return None
    text = str(values.iloc[0])
    return text if len(text) <= _MAX_EXAMPLE else text[: _MAX_EXAMPLE - 1] + "…"


def _check(column: str, check: str, ok: np.ndarray[Any, Any], values: pd.Series) -> dict[str, Any]:
    n = int(ok.size)
    bad = int(n - ok.sum())
    return {
        "column": column,
        "check": check,
        "share": 1.0 - bad / n if n else 1.0,
        "invalid": bad,
        "example": _example(values[~ok]) if bad else None,
    }


def _is_text(series: pd.Series) -> bool:
    return bool(pd.api.types.is_string_dtype(series.dtype) or series.dtype == object)


def _numbers(series: pd.Series, col: Column) -> np.ndarray[Any, np.dtype[np.float64]]:
    if col.kind is ColumnKind.DATETIME:
        if col.datetime_format and _is_text(series):
            series = pd.to_datetime(series.astype(str), format=col.datetime_format, errors="coerce")
        return datetime_seconds(series)
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _column_checks(series: pd.Series, col: Column, is_key: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    present = series[series.notna()]
    if col.kind.is_numeric or col.kind is ColumnKind.DATETIME:
        x = _numbers(present, col)
        if col.minimum is not None or col.maximum is not None:
            lo = -np.inf if col.minimum is None else col.minimum
            hi = np.inf if col.maximum is None else col.maximum
            out.append(_check(col.name, "range", (x >= lo) & (x <= hi), present))
        if col.kind is ColumnKind.INTEGER:
            out.append(_check(col.name, "whole", np.isfinite(x) & (x == np.round(x)), present))
        if col.kind is ColumnKind.FLOAT and col.decimals is not None:
            rounded = np.round(x, col.decimals)
            ok = np.isfinite(x) & np.isclose(rounded, x, rtol=1e-12, atol=1e-9)
            out.append(_check(col.name, "decimals", ok, present))
        if col.kind is ColumnKind.DATETIME and col.datetime_format and _is_text(series):
            parsed = pd.to_datetime(
                present.astype(str), format=col.datetime_format, errors="coerce"
            )
            out.append(_check(col.name, "format", parsed.notna().to_numpy(), present))
    if col.kind in (ColumnKind.CATEGORICAL, ColumnKind.BOOLEAN) and col.categories is not None:
        ok = present.astype(object).isin(list(col.categories)).to_numpy()
        out.append(_check(col.name, "categories", ok, present))
    if is_key or col.unique:
        values = series if is_key else present
        ok = (~values.duplicated(keep="first") & values.notna()).to_numpy()
        out.append(_check(col.name, "unique", ok, values))
    same = str(series.dtype) == col.dtype
    out.append(
        {
            "column": col.name,
            "check": "dtype",
            "share": 1.0 if same else 0.0,
            "invalid": 0 if same else 1,
            "example": None if same else f"dtype {series.dtype} instead of {col.dtype}",
        }
    )
    return out


def validity(data: pd.DataFrame, metadata: Metadata) -> MetricResult:
    """Mean share of values passing each declared constraint (see the module docstring).

    Examples
    --------
    >>> md = Metadata((Column("age", ColumnKind.INTEGER, "int64", minimum=0, maximum=120),))
    >>> validity(pd.DataFrame({"age": [30, 40, 150, 50]}), md).details["checks"][0]["share"]
    0.75
    """
    check_frame(data, "table", metadata)
    checks: list[dict[str, Any]] = []
    for col in metadata:
        checks.extend(_column_checks(data[col.name], col, col.name == metadata.primary_key))
    score = float(np.mean([c["share"] for c in checks])) if checks else math.nan
    details: dict[str, Any] = {"checks": checks, "n_rows": len(data)}
    if not checks:
        details["reason"] = "the metadata declares nothing to check"
    return MetricResult("validity", score, "maximize", (0.0, 1.0), details)
