"""The privatised metadata a model stores: no exact extremes, no rare categories, no ids.

What a fitted model keeps (and so what its file holds) is learned from the training data but
never reveals a single person's value:

* bounds of numbers and datetimes are clipped quantiles (``bounds_quantile`` and
  ``1 - bounds_quantile`` of the values), rounded inwards to the column's resolution (whole
  numbers, its decimals, its datetime resolution), never the exact minimum or maximum;
* categories seen in fewer than ``rare_category_k`` rows are pooled: removed, their mass shared
  out in proportion among the others, so the model never emits them;
* id and PII columns keep only their kind, dtype and missing share;
* every column's provenance is ``learned``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.errors import DataError
from synthcraft.metadata import Column, ColumnKind, Metadata, Provenance, Scalar
from synthcraft.synthesizers._encoding import (
    CATEGORY_KINDS,
    NUMERIC_KINDS,
    ColumnCodec,
    category_scalar,
    datetime_step_us,
    numeric_values,
)

__all__ = ["privatise", "rounded_bounds"]


def privatise(
    data: pd.DataFrame, metadata: Metadata, *, rare_category_k: int, bounds_quantile: float
) -> tuple[Metadata, dict[str, int]]:
    """Privatised metadata for ``data`` and the datetime resolutions (microseconds) by column.

    Parameters
    ----------
    data : DataFrame
        The training table (already checked against ``metadata``).
    metadata : Metadata
        Its description, in the table's column order.
    rare_category_k : int
        Categories seen in fewer rows are pooled.
    bounds_quantile : float
        Lower quantile used as the minimum (and ``1 - q`` as the maximum), e.g. 0.001.

    Returns
    -------
    tuple
        ``(metadata, steps)``.
    """
    columns: list[Column] = []
    steps: dict[str, int] = {}
    for column in metadata:
        series = data[column.name]
        share = float(series.isna().mean())
        base = column.replace(missing_share=share, provenance=Provenance.LEARNED)
        if column.kind in NUMERIC_KINDS:
            values = numeric_values(series, column)
            values = values[np.isfinite(values)]
            step = datetime_step_us(values) if column.kind is ColumnKind.DATETIME else None
            if step is not None:
                steps[column.name] = step
            columns.append(_numeric(base, values, bounds_quantile, step))
        elif column.kind in CATEGORY_KINDS:
            columns.append(_categorical(base, series, rare_category_k))
        else:
            columns.append(base.replace(minimum=None, maximum=None, decimals=None, categories=None))
    return Metadata(tuple(columns), primary_key=metadata.primary_key), steps


def _numeric(column: Column, values: Any, q: float, step_us: int | None) -> Column:
    column = column.replace(categories=None)
    if values.size == 0:
        return column.replace(minimum=None, maximum=None)
    lo_q, hi_q = (float(v) for v in np.quantile(values, [q, 1.0 - q]))
    return rounded_bounds(column, lo_q, hi_q, step_us, float(np.median(values)))


def rounded_bounds(
    column: Column, lo_q: float, hi_q: float, step_us: int | None, middle: float
) -> Column:
    """``column`` with bounds ``lo_q`` and ``hi_q`` rounded inwards to its resolution.

    When both fall between the same two grid points, both become ``middle`` rounded.
    """
    unit = _unit(column, step_us)
    if unit is None:
        return column.replace(minimum=lo_q, maximum=hi_q)
    lo = math.ceil(lo_q / unit - 1e-9) * unit
    hi = math.floor(hi_q / unit + 1e-9) * unit
    if lo > hi:  # the two quantiles fall between the same two grid points
        lo = hi = round(middle / unit) * unit
    if column.kind is ColumnKind.FLOAT and column.decimals is not None:
        lo, hi = round(lo, column.decimals), round(hi, column.decimals)
    if column.kind is ColumnKind.INTEGER:
        return column.replace(minimum=int(lo), maximum=int(hi))
    return column.replace(minimum=float(lo), maximum=float(hi))


def _unit(column: Column, step_us: int | None) -> float | None:
    if column.kind is ColumnKind.INTEGER:
        return 1.0
    if column.kind is ColumnKind.FLOAT and column.decimals is not None:
        return float(10.0**-column.decimals)
    if column.kind is ColumnKind.DATETIME and step_us is not None:
        return step_us / 1e6
    return None


def _categorical(column: Column, series: pd.Series, k: int) -> Column:
    column = column.replace(minimum=None, maximum=None, decimals=None)
    present = series.dropna()
    if column.categories:
        codes = ColumnCodec(column).encode(present)
        counts = np.bincount(codes[codes >= 0], minlength=len(column.categories))
        order: list[tuple[Scalar, int]] = list(
            zip(column.categories, (int(c) for c in counts), strict=True)
        )
    else:
        tally = present.value_counts(sort=False)
        pairs = [(category_scalar(v), int(c)) for v, c in zip(tally.index, tally, strict=True)]
        order = sorted(pairs, key=lambda vc: (-vc[1], type(vc[0]).__name__, str(vc[0])))
    if column.kind is ColumnKind.BOOLEAN and not column.categories:
        order = sorted(order, key=lambda vc: bool(vc[0]))
    kept = tuple(value for value, count in order if count >= k)
    if not kept and len(present):
        raise DataError(
            f"column {column.name!r}: no value is seen in {k} or more rows, so none can be kept "
            f"privately; lower rare_category_k, drop the column, or declare it id or pii"
        )
    return column.replace(categories=kept)
