"""Spreadsheet formula injection (OWASP "CSV injection"): find and escape formula-like text."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow.compute as pc

from synthcraft.errors import UserInputError
from synthcraft.storage._infer import arrow_text, matches, starts

__all__ = ["escape_formulas", "formula_columns", "formula_mask", "is_formula"]

_STARTS = "=+-@\t\r"
_STARTS_RE = r"[=+\-@\t\r]"
_NUMBER_RE = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER = re.compile(_NUMBER_RE)


def is_formula(value: str) -> bool:
    """True when a spreadsheet would run ``value`` as a formula (a plain number is not one)."""
    return value[:1] in _STARTS and value != "" and _NUMBER.fullmatch(value) is None


def formula_mask(text: pd.Series) -> pd.Series:
    """Boolean mask of formula-like cells in a ``str`` Series (missing cells are False)."""
    arr = arrow_text(text)
    found = pc.fill_null(starts(arr, _STARTS_RE), False)
    if pc.any(found).as_py():
        found = pc.and_(found, pc.invert(pc.fill_null(matches(arr, _NUMBER_RE), False)))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=text.index, dtype=bool)


def _is_text_column(s: pd.Series) -> bool:
    dtype = s.dtype
    return (
        isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype))
        or pd.api.types.is_object_dtype(dtype)
        or (isinstance(dtype, pd.ArrowDtype) and pd.api.types.is_string_dtype(dtype))
    )


def formula_columns(df: pd.DataFrame) -> list[str]:
    """Names of the text columns with cells a spreadsheet would run as formulas.

    A text cell is formula-like when it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return and is not a plain number (OWASP CSV injection). Numeric columns are never
    listed; in object columns only the string values are looked at.

    Examples
    --------
    >>> formula_columns(pd.DataFrame({"a": ["=1+2", "x"], "b": ["-5", "ok"], "c": [-1, 2]}))
    ['a']
    """
    if not isinstance(df, pd.DataFrame):
        raise UserInputError(f"expected a pandas DataFrame, got {type(df).__name__}")
    found = []
    for i, name in enumerate(df.columns):
        s = df.iloc[:, i]
        if not _is_text_column(s):
            continue
        if pd.api.types.is_object_dtype(s.dtype) or isinstance(s.dtype, pd.CategoricalDtype):
            s = s[s.map(lambda v: isinstance(v, str))].astype("str")
        if formula_mask(s).any():
            found.append(str(name))
    return found


def escape_formulas(text: pd.Series) -> pd.Series:
    """Prefix formula-like cells of a ``str`` Series with ``'``; spreadsheets show them as text."""
    mask = formula_mask(text)
    if not mask.any():
        return text
    return text.mask(mask, "'" + text)
