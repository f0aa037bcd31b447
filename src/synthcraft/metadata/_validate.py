"""Check a table against its metadata and report every problem at once."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from synthcraft.errors import DataError, UserInputError, ValidationError
from synthcraft.metadata._model import Column, ColumnKind, Metadata
from synthcraft.metadata._values import (
    as_datetimes,
    as_text,
    epoch_seconds,
    family,
    format_number,
    format_seconds,
    show,
    timezone_of,
    to_scalar,
)

__all__ = ["check", "validate"]


def validate(data: pd.DataFrame, metadata: Metadata) -> list[str]:
    """Every way ``data`` breaks ``metadata``, one line each (empty when it fits).

    Checks: columns missing from the data or not in the metadata; values of the wrong kind
    (not numbers, not whole numbers, not true/false, not datetimes); numbers and datetimes
    outside ``minimum``/``maximum``; values outside the categories; a time zone other than the
    declared one; missing or repeated values in the primary key and in ``unique`` columns.
    Text values of number and datetime columns are accepted when they parse (``"17"``,
    ``"2013-01-01"``, or per ``datetime_format``).

    Parameters
    ----------
    data : pandas.DataFrame
        The table to check.
    metadata : Metadata
        What the table should hold.

    Returns
    -------
    list of str
        One message per problem, in column order.

    Examples
    --------
    >>> import pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind, Metadata
    >>> md = Metadata((Column("age", ColumnKind.INTEGER, "Int64", minimum=17, maximum=90),))
    >>> [p.split(";")[0] for p in validate(pd.DataFrame({"age": [20, 95]}), md)]
    ["column 'age' has 1 value outside 17 – 90, e.g. 95"]
    """
    if not isinstance(data, pd.DataFrame):
        raise UserInputError(f"validate needs a pandas DataFrame, got {type(data).__name__}")
    if not isinstance(metadata, Metadata):
        raise UserInputError(f"validate needs a Metadata, got {type(metadata).__name__}")
    problems: list[str] = []
    counts = Counter(data.columns)
    for name, count in counts.items():
        if count > 1:
            problems.append(
                f"column {name!r} appears {count} times in the data; give each column its own name"
            )
    for name in data.columns:
        if name not in metadata and counts[name] == 1:
            problems.append(
                f"column {name!r} is in the data but not in the metadata; "
                "add it to the metadata or drop it"
            )
    for column in metadata:
        if column.name not in counts:
            problems.append(
                f"column {column.name!r} is in the metadata but not in the data; "
                "add it to the data or remove it from the metadata"
            )
        elif counts[column.name] == 1:
            series = data[column.name]
            problems.extend(_check_column(series, column, column.name == metadata.primary_key))
    return problems


def check(data: pd.DataFrame, metadata: Metadata) -> None:
    """Raise :class:`~synthcraft.errors.ValidationError` listing every problem, if there is any.

    Examples
    --------
    >>> import pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind, Metadata
    >>> check(pd.DataFrame({"n": [1]}), Metadata((Column("n", ColumnKind.INTEGER, "Int64"),)))
    """
    problems = validate(data, metadata)
    if problems:
        raise ValidationError(problems)


def _check_column(series: pd.Series, column: Column, is_key: bool) -> list[str]:
    checker = _CHECKERS.get(column.kind)
    problems = checker(series, column) if checker is not None else []
    if is_key or column.unique:
        problems.extend(_check_unique(series, column.name, is_key))
    return problems


def _bad(name: str, count: int, what: tuple[str, str], example: Any, fix: str) -> str:
    """``column 'x' has 3 values <what>, e.g. <example>; <fix>`` (``what``: singular, plural)."""
    text = f"1 value {what[0]}" if count == 1 else f"{count} values {what[1]}"
    return f"column {name!r} has {text}, e.g. {show(example)}; {fix}"


def _first(values: pd.Series, mask: Any) -> Any:
    return values[np.asarray(mask, dtype=bool)].iloc[0]


def _numbers(series: pd.Series, column: Column) -> tuple[pd.Series, list[str]]:
    """Non-missing values as float64, and a problem for values that are not numbers."""
    values = series.dropna()
    fam = family(values)
    if fam in ("integer", "float"):
        return values.astype("float64"), []
    if fam == "boolean" or fam == "datetime":
        if values.empty:
            return pd.Series([], dtype="float64"), []
        kind = "true/false values" if fam == "boolean" else "datetimes"
        problem = _bad(
            column.name,
            len(values),
            (f"that is not a number ({kind})", f"that are not numbers ({kind})"),
            values.iloc[0],
            f"declare it {fam} or convert it",
        )
        return pd.Series([], dtype="float64"), [problem]
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    parsed = pd.to_numeric(values, errors="coerce")
    failed = parsed.isna().to_numpy()
    problems = []
    if failed.any():
        problems.append(
            _bad(
                column.name,
                int(failed.sum()),
                ("that is not a number", "that are not numbers"),
                _first(values, failed),
                "declare it categorical or clean it",
            )
        )
    return parsed[~failed].astype("float64"), problems


def _check_number(series: pd.Series, column: Column) -> list[str]:
    values, problems = _numbers(series, column)
    array = values.to_numpy(dtype=np.float64)
    if column.kind is ColumnKind.INTEGER:
        with np.errstate(invalid="ignore"):
            fractional = np.isfinite(array) & (array != np.round(array))
        if fractional.any():
            problems.append(
                _bad(
                    column.name,
                    int(fractional.sum()),
                    ("that is not a whole number", "that are not whole numbers"),
                    array[fractional][0],
                    "declare it float or round it",
                )
            )
    outside = np.zeros(array.shape, dtype=bool)
    if column.minimum is not None:
        outside |= array < column.minimum
    if column.maximum is not None:
        outside |= array > column.maximum
    if outside.any():
        problems.append(
            _bad(
                column.name,
                int(outside.sum()),
                (f"outside {_range(column, format_number)}",) * 2,
                array[outside][0],
                "raise the bounds in the metadata or clean the data",
            )
        )
    return problems


def _range(column: Column, fmt: Callable[[float], str]) -> str:
    low = fmt(column.minimum) if column.minimum is not None else "-∞"
    high = fmt(column.maximum) if column.maximum is not None else "∞"
    return f"{low} – {high}"


def _check_categories(series: pd.Series, column: Column) -> list[str]:
    values = series.dropna()
    problems: list[str] = []
    if column.kind is ColumnKind.BOOLEAN and family(values) != "boolean" and not values.empty:
        not_bool = ~values.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
        problems.append(
            _bad(
                column.name,
                int(not_bool.sum()),
                ("that is not true/false", "that are not true/false"),
                _first(values, not_bool),
                "declare it categorical or clean it",
            )
        )
        values = values[~not_bool]
    if column.categories is None or values.empty:
        return problems
    if ptypes.is_object_dtype(values.dtype) and family(values) == "text":
        values = as_text(values)  # mixed objects compare as str, as detection stored them
    allowed = set(column.categories)
    as_str = all(isinstance(c, str) for c in column.categories)
    distinct = pd.unique(values.to_numpy(dtype=object))
    unknown = [v for v in distinct if not _known(v, allowed, as_str)]
    if unknown:
        mask = values.isin(unknown).to_numpy(dtype=bool)
        n_cats = len(column.categories)
        noun = "category" if n_cats == 1 else "categories"
        problems.append(
            _bad(
                column.name,
                int(mask.sum()),
                (f"not among its {n_cats} {noun}",) * 2,
                _first(values, mask),
                "add them to the categories in the metadata or clean the data",
            )
        )
    return problems


def _known(value: Any, allowed: set[Any], as_str: bool) -> bool:
    scalar = to_scalar(value)
    if as_str and not isinstance(scalar, str):
        return str(value) in allowed
    if isinstance(scalar, bool) and not all(isinstance(c, bool) for c in allowed):
        return False  # True must not pass as the integer category 1
    return scalar in allowed


def _check_datetime(series: pd.Series, column: Column) -> list[str]:
    values = series.dropna()
    if values.empty:
        return []
    problems: list[str] = []
    fam = family(values)
    if fam == "datetime":
        try:
            stamps = as_datetimes(values, column.name)
        except DataError as exc:
            return [f"{exc}"]
        zone = timezone_of(stamps)
        if zone != column.timezone:
            problems.append(_zone_problem(column, zone))
    else:
        text = values.astype(object) if fam != "text" else values
        fmt = column.datetime_format or "ISO8601"
        stamps = pd.to_datetime(text.astype(str), errors="coerce", format=fmt, utc=True)
        failed = stamps.isna().to_numpy()
        if failed.any():
            hint = f" in the format {column.datetime_format!r}" if column.datetime_format else ""
            problems.append(
                _bad(
                    column.name,
                    int(failed.sum()),
                    (f"that is not a datetime{hint}", f"that are not datetimes{hint}"),
                    _first(values, failed),
                    "declare it categorical or clean it",
                )
            )
        stamps = stamps[~failed]
    seconds = epoch_seconds(stamps)
    outside = np.zeros(seconds.shape, dtype=bool)
    if column.minimum is not None:
        outside |= seconds < column.minimum - 1e-6
    if column.maximum is not None:
        outside |= seconds > column.maximum + 1e-6
    if outside.any():
        problems.append(
            _bad(
                column.name,
                int(outside.sum()),
                (f"outside {_range(column, lambda s: format_seconds(s, column.timezone))}",) * 2,
                stamps.iloc[int(np.argmax(outside))],
                "widen the bounds in the metadata or clean the data",
            )
        )
    return problems


def _zone_problem(column: Column, zone: str | None) -> str:
    if column.timezone is None:
        return (
            f"column {column.name!r} has time zone {zone!r} but the metadata says none; "
            "drop the zone (.dt.tz_localize(None)) or set timezone in the metadata"
        )
    if zone is None:
        return (
            f"column {column.name!r} has no time zone but the metadata says "
            f"{column.timezone!r}; localise it (.dt.tz_localize) or fix the metadata"
        )
    return (
        f"column {column.name!r} is in time zone {zone!r} but the metadata says "
        f"{column.timezone!r}; convert it (.dt.tz_convert) or fix the metadata"
    )


def _check_unique(series: pd.Series, name: str, is_key: bool) -> list[str]:
    what = f"primary key {name!r}" if is_key else f"unique column {name!r}"
    problems = []
    n_missing = int(series.isna().sum())
    if n_missing:
        plural = "value" if n_missing == 1 else "values"
        problems.append(f"{what} has {n_missing} missing {plural}; give every row a value")
    present = series.dropna()
    if ptypes.is_object_dtype(present.dtype):
        present = present.map(lambda v: v if isinstance(v, (str, int, float)) else str(v))
    repeated = present.duplicated().to_numpy()
    if repeated.any():
        n_rep = int(repeated.sum())
        plural = "value repeats" if n_rep == 1 else "values repeat"
        problems.append(
            f"{what} has {n_rep} {plural} an earlier one, e.g. {show(present[repeated].iloc[0])}; "
            "its values must all differ"
        )
    return problems


_CHECKERS: dict[ColumnKind, Callable[[pd.Series, Column], list[str]]] = {
    ColumnKind.INTEGER: _check_number,
    ColumnKind.FLOAT: _check_number,
    ColumnKind.CATEGORICAL: _check_categories,
    ColumnKind.BOOLEAN: _check_categories,
    ColumnKind.DATETIME: _check_datetime,
}
