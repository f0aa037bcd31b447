"""Detect what each column of a table is: its kind and the facts a model needs about it."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from synthcraft.errors import DataError, UserInputError
from synthcraft.metadata._model import Column, ColumnKind, Metadata, Provenance, Scalar
from synthcraft.metadata._values import (
    as_datetimes,
    as_numbers,
    as_text,
    epoch_seconds,
    family,
    timezone_of,
    to_scalar,
)
from synthcraft.pii import detect_pii_kind

__all__ = ["default_max_categories", "detect"]

SAMPLE_VALUES = 10_000
"""Values looked at for decimals, word counts and code shapes (evenly spaced, no randomness)."""

MAX_DECIMALS = 6
"""A float column with more decimal places than this is continuous (``decimals=None``)."""

INTEGER_CATEGORIES = 5
"""An integer column with at most this many distinct values (each seen twice on average) is
categorical: years of a survey, a constant, a 0/1 flag."""

TEXT_WORDS = 3.0
"""Mean words per value from which high-cardinality text is free text rather than codes."""

_STRONG_ID = re.compile(
    r"(?i:id|key|uuid|guid|pk|.*[_\-. ](?:id|key|uuid|guid|pk))|.*[a-z](?:Id|ID|Key|Uuid|UUID)"
)
_WEAK_ID = re.compile(r"(?i:no|nr|number|.*[_\-. ](?:no|nr|number))|.*[a-z](?:No|Nr|Number)")
_EPSILON = {
    "float16": float(np.finfo(np.float16).eps),
    "float32": float(np.finfo(np.float32).eps),
    "float64": float(np.finfo(np.float64).eps),
}
_UUID = r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"


def default_max_categories(n_values: int) -> int:
    """Most distinct text values a categorical column may have, given its non-missing count.

    ``max(20, min(1000, 5% of n_values))``: 20 for small tables, 1,000 from 20,000 values.
    """
    return max(20, min(1000, n_values // 20))


def detect(
    data: pd.DataFrame, *, primary_key: str | None = None, max_categories: int | None = None
) -> Metadata:
    """Detect the kind of every column of ``data`` and the facts that describe it.

    Rules, applied per column (every column gets ``provenance="learned"``, its pandas dtype and
    its share of missing values):

    * **boolean** dtype, or an object column of only ``True``/``False``: ``boolean`` with
      categories ``(False, True)``.
    * **datetime** dtype (or an object column of only dates/datetimes): ``datetime``; minimum and
      maximum are seconds since the Unix epoch (naive values read as UTC); ``timezone`` is the
      zone name when aware. Aware datetimes with different offsets are converted to UTC; mixing
      aware and naive values raises :class:`~synthcraft.errors.DataError`.
    * **integer** dtype (or an object column of only whole numbers): ``pii`` when
      :func:`synthcraft.pii.detect_pii_kind` names a kind (phones, postcodes, card numbers and
      national ids stored as numbers, with a name hint). Else ``id`` when the name looks
      like an id (``id``, ``key``, ``uuid``, ``guid``, ``pk``, ``*_id``, ``userId``, ``*_key``,
      ...), unique when every value is present and distinct; names like ``*_no``, ``*_number``
      count only when values are unique and present. Else ``categorical`` with integer categories
      when it has at most 5 distinct values, each seen twice on average (survey years, a
      constant, a 0/1 flag). Else ``integer`` with minimum and maximum.
    * **float** dtype (or an object column of only numbers): ``float`` with the minimum and
      maximum of the finite values and ``decimals``, the most decimal places among up to 10,000
      distinct values (``None`` above 6: continuous). Whole-number floats stay ``float``,
      ``decimals=0``.
    * pandas **category** dtype: ``categorical``.
    * **text** (string dtypes and any other object column; mixed types are compared as
      ``str(value)``, so ``[5, "1,234", "N/A"]`` is text; text is never parsed into numbers or
      dates: read files with :func:`synthcraft.storage.read_table` for that): ``pii`` when
      :func:`synthcraft.pii.detect_pii_kind` names a kind. Else ``id`` for an id-like name (as
      above), or when all values are distinct (at least 2) and look like codes: UUIDs, fixed-width
      hex, same-shaped letter-and-digit tokens (``C-0012``, ``user_7``), zero-padded digits
      (``00417``); judged on up to 10,000 evenly spaced values. Else ``categorical`` when
      the distinct count is at most ``max_categories`` (default
      :func:`default_max_categories`). Else ``text`` when values average 3 words or more. Else
      ``id`` with ``unique=False`` (high-cardinality codes).
    * An entirely missing column keeps the kind of its dtype; text ones become ``categorical``
      with no categories.

    Categories are JSON scalars ordered by descending frequency, then by value. The first ``id``
    column with unique values becomes the primary key unless ``primary_key`` names one; a named
    primary key must hold unique, present values and is marked ``unique`` (kind ``id`` unless it
    is a datetime or PII).

    Parameters
    ----------
    data : pandas.DataFrame
        The table, at least one row and one column, with unique string column names.
    primary_key : str, optional
        Name of the primary key column.
    max_categories : int, optional
        Most distinct values a text column may have to be categorical.

    Returns
    -------
    Metadata

    Examples
    --------
    >>> import pandas as pd
    >>> md = detect(pd.DataFrame({"id": [1, 2, 3], "size": ["S", "M", "S"]}))
    >>> [c.kind.value for c in md], md.primary_key
    (['id', 'categorical'], 'id')
    """
    if not isinstance(data, pd.DataFrame):
        raise UserInputError(f"detect needs a pandas DataFrame, got {type(data).__name__}")
    if max_categories is not None and (
        isinstance(max_categories, bool)
        or not isinstance(max_categories, int)
        or max_categories < 1
    ):
        raise UserInputError(f"max_categories must be a whole number >= 1, got {max_categories!r}")
    _check_shape(data)
    columns = [
        _detect_column(str(name), data.iloc[:, i], max_categories)
        for i, name in enumerate(data.columns)
    ]
    if primary_key is not None:
        columns = _mark_primary_key(columns, data, primary_key)
    else:
        primary_key = next((c.name for c in columns if c.kind is ColumnKind.ID and c.unique), None)
    return Metadata(tuple(columns), primary_key=primary_key)


def _check_shape(data: pd.DataFrame) -> None:
    if data.shape[1] == 0:
        raise DataError("the table has no columns; give it a header row with the column names")
    odd = [name for name in data.columns if not isinstance(name, str)]
    if odd:
        shown = ", ".join(repr(n) for n in odd[:5]) + (", ..." if len(odd) > 5 else "")
        raise DataError(
            f"column names {shown} are not text; rename the columns to strings, "
            "e.g. data.columns = data.columns.astype(str)"
        )
    repeated = [name for name, count in Counter(data.columns).items() if count > 1]
    if repeated:
        shown = ", ".join(repr(n) for n in repeated[:5]) + (", ..." if len(repeated) > 5 else "")
        raise DataError(
            f"the table has duplicate column names {shown}; give each column its own name"
        )
    if data.shape[0] == 0:
        raise DataError(
            "the table has a header but no rows; synthcraft needs at least one row to learn from"
        )


def _detect_column(name: str, series: pd.Series, max_categories: int | None) -> Column:
    n_missing = int(series.isna().sum())
    base = Column(
        name=name,
        kind=ColumnKind.TEXT,
        dtype=str(series.dtype),
        missing_share=n_missing / len(series),
        provenance=Provenance.LEARNED,
    )
    fam = family(series)
    if fam == "boolean":
        return base.replace(kind=ColumnKind.BOOLEAN, categories=(False, True))
    if fam == "datetime":
        return _datetime_column(base, series)
    if fam == "integer":
        pii_kind = detect_pii_kind(name, series) if n_missing < len(series) else None
        if pii_kind is not None:
            return base.replace(kind=ColumnKind.PII, pii_kind=pii_kind)
        return _integer_column(base, as_numbers(series), n_missing)
    if fam == "float":
        return _float_column(base, series)
    if fam == "category":
        return base.replace(kind=ColumnKind.CATEGORICAL, categories=_categories(series.dropna()))
    if fam == "empty":
        return base.replace(kind=ColumnKind.CATEGORICAL, categories=())
    return _text_column(base, as_text(series), n_missing, max_categories)


def _datetime_column(base: Column, series: pd.Series) -> Column:
    values = as_datetimes(series, base.name)
    column = base.replace(kind=ColumnKind.DATETIME, timezone=timezone_of(values))
    if values.empty:
        return column
    seconds = epoch_seconds(values)
    return column.replace(minimum=float(seconds.min()), maximum=float(seconds.max()))


def _integer_column(base: Column, values: pd.Series, n_missing: int) -> Column:
    n_values = len(values)
    n_distinct = int(values.nunique())
    all_distinct = n_missing == 0 and n_distinct == n_values
    if _STRONG_ID.fullmatch(base.name) or (_WEAK_ID.fullmatch(base.name) and all_distinct):
        return base.replace(kind=ColumnKind.ID, unique=all_distinct)
    if 1 <= n_distinct <= INTEGER_CATEGORIES and n_values >= 2 * n_distinct:
        return base.replace(kind=ColumnKind.CATEGORICAL, categories=_categories(values))
    column = base.replace(kind=ColumnKind.INTEGER)
    if n_values == 0:
        return column
    if values.dtype.kind == "f":  # whole numbers beyond int64 held as floats
        return column.replace(minimum=float(values.min()), maximum=float(values.max()))
    return column.replace(minimum=int(values.min()), maximum=int(values.max()))


def _float_column(base: Column, series: pd.Series) -> Column:
    column = base.replace(kind=ColumnKind.FLOAT)
    numbers = as_numbers(series)
    eps = _EPSILON.get(str(numbers.dtype).lower(), _EPSILON["float64"])
    values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return column
    return column.replace(
        minimum=float(values.min()),
        maximum=float(values.max()),
        decimals=_decimals(values, eps),
    )


def _decimals(values: np.ndarray[Any, np.dtype[np.float64]], eps: float) -> int | None:
    """Fewest decimal places that reproduce every value (up to 10,000 distinct ones)."""
    distinct = np.unique(values)
    if distinct.size > SAMPLE_VALUES:
        distinct = distinct[np.linspace(0, distinct.size - 1, SAMPLE_VALUES).astype(np.int64)]
    tolerance = 8.0 * eps * np.abs(distinct)
    with np.errstate(over="ignore", invalid="ignore"):
        for places in range(MAX_DECIMALS + 1):
            if np.all(np.abs(np.round(distinct, places) - distinct) <= tolerance):
                return places
    return None


def _text_column(
    base: Column, values: pd.Series, n_missing: int, max_categories: int | None
) -> Column:
    n_values = len(values)
    if n_values == 0:
        return base.replace(kind=ColumnKind.CATEGORICAL, categories=())
    pii_kind = detect_pii_kind(base.name, values)
    if pii_kind is not None:
        return base.replace(kind=ColumnKind.PII, pii_kind=pii_kind)
    n_distinct = int(values.nunique())
    all_distinct = n_distinct == n_values
    unique = all_distinct and n_missing == 0
    if _STRONG_ID.fullmatch(base.name) or (_WEAK_ID.fullmatch(base.name) and unique):
        return base.replace(kind=ColumnKind.ID, unique=unique)
    if all_distinct and n_values >= 2 and _looks_like_codes(values):
        return base.replace(kind=ColumnKind.ID, unique=unique)
    limit = max_categories if max_categories is not None else default_max_categories(n_values)
    if n_distinct <= limit:
        return base.replace(kind=ColumnKind.CATEGORICAL, categories=_categories(values))
    words = _spread(values).str.count(r"\S+")
    if float(words.mean()) >= TEXT_WORDS:
        return base.replace(kind=ColumnKind.TEXT)
    return base.replace(kind=ColumnKind.ID, unique=False)


def _spread(values: pd.Series) -> pd.Series:
    """Up to 10,000 evenly spaced values (deterministic)."""
    if len(values) <= SAMPLE_VALUES:
        return values
    return values.iloc[np.linspace(0, len(values) - 1, SAMPLE_VALUES).astype(np.int64)]


def _looks_like_codes(values: pd.Series) -> bool:
    """UUIDs, fixed-width hex, or same-shaped tokens with digits (judged on a spread sample)."""
    sample = _spread(values)
    if bool(sample.str.fullmatch(_UUID).all()):
        return True
    if bool(sample.str.contains(r"\s", regex=True).any()):
        return False
    lengths = sample.str.len()
    fixed = int(lengths.nunique()) == 1
    if (
        fixed
        and int(lengths.iloc[0]) >= 8
        and bool(sample.str.fullmatch("[0-9a-fA-F]+").all())
        and bool(sample.str.contains("[a-fA-F]", regex=True).any())
    ):
        return True
    shapes = sample.str.replace(r"[^\W\d_]+", "a", regex=True).str.replace(r"\d+", "9", regex=True)
    if int(shapes.nunique()) != 1:
        return False
    shape = str(shapes.iloc[0])
    if "9" not in shape:
        return False
    if "a" in shape:
        return True
    # digits only: a code when fixed-width with leading zeros (0042), not a plain number
    return shape == "9" and fixed and bool(sample.str.startswith("0").any())


def _categories(values: pd.Series) -> tuple[Scalar, ...]:
    """Distinct non-missing values as JSON scalars, by descending frequency, then by value."""
    counts = values.value_counts(sort=False, dropna=True)
    merged: dict[Scalar, int] = {}
    for value, count in zip(counts.index, counts.to_numpy(), strict=True):
        if count > 0:
            key = to_scalar(value)
            merged[key] = merged.get(key, 0) + int(count)
    order = sorted(merged.items(), key=lambda kv: (-kv[1], type(kv[0]).__name__, kv[0]))
    return tuple(value for value, _ in order)


def _mark_primary_key(columns: list[Column], data: pd.DataFrame, primary_key: str) -> list[Column]:
    names = [c.name for c in columns]
    if not isinstance(primary_key, str) or primary_key not in names:
        shown = ", ".join(repr(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")
        raise UserInputError(
            f"primary_key {primary_key!r} is not a column of the table; name one of {shown}"
        )
    index = names.index(primary_key)
    values = data.iloc[:, index]
    n_missing = int(values.isna().sum())
    n_repeated = int(values.dropna().duplicated().sum())
    if n_missing or n_repeated:
        raise DataError(
            f"primary key {primary_key!r} has {n_repeated} repeated and {n_missing} missing "
            "values; choose a column whose values are all present and different"
        )
    column = columns[index]
    if column.kind in (ColumnKind.DATETIME, ColumnKind.PII):
        column = column.replace(unique=True)
    else:
        column = Column(
            name=column.name,
            kind=ColumnKind.ID,
            dtype=column.dtype,
            missing_share=column.missing_share,
            unique=True,
            provenance=column.provenance,
        )
    columns[index] = column
    return columns
