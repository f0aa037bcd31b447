"""Typing of text columns: missing tokens, numbers, booleans, dates (one rule for all sources)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "MISSING_TOKENS",
    "Notes",
    "arrow_text",
    "drop_infinite",
    "infer_text",
    "matches",
    "starts",
    "to_str",
]

MISSING_TOKENS: frozenset[str] = frozenset(
    {"", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None", "#N/A", "?", "-", "—", "–"}
)
"""Text read as missing, after stripping surrounding whitespace."""
_MISSING = pa.array(sorted(MISSING_TOKENS))

_GROUPED = r"[0-9]{1,3}(?:,[0-9]{3})+"
_INT = rf"[+-]?(?:[0-9]+|{_GROUPED})"
_FLOAT = (
    rf"[+-]?(?:(?:[0-9]+|{_GROUPED})(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"|[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)"
)
_LEADING_ZERO = r"[+-]?0[0-9,]"
_ISO = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_OTHER_DATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}", ("%d/%m/%Y", "%m/%d/%Y")),
    (r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}", ("%Y/%m/%d",)),
    (r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}", ("%d.%m.%Y",)),
)
_PY = {p: re.compile(p) for p in (_INT, _FLOAT, _ISO, *(p for p, _ in _OTHER_DATES))}


@dataclass
class Notes:
    """Non-fatal findings collected while typing columns, reported as one warning each."""

    infinite: list[tuple[str, int]] = field(default_factory=list)
    mixed_zones: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """One message per kind of finding."""
        out = []
        if self.infinite:
            out.append(
                "; ".join(
                    f"column {c!r}: {n} infinite value{'s' if n != 1 else ''} read as missing"
                    for c, n in self.infinite
                )
            )
        if self.mixed_zones:
            cols = ", ".join(repr(c) for c in self.mixed_zones)
            out.append(
                f"column(s) {cols} mix dates with and without a time zone offset; kept as text "
                "(give every value an offset, or none, to read them as dates)"
            )
        if self.overflow:
            cols = ", ".join(repr(c) for c in self.overflow)
            out.append(f"column(s) {cols} hold whole numbers beyond 64 bits; read as float64")
        return out


def to_str(values: pd.Series) -> pd.Series:
    """``values`` as pandas ``str`` dtype (missing as NaN), without typing them."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is np.nan:
        return values
    return values.astype("str")


def arrow_text(text: pd.Series) -> pa.Array:
    """The values of a ``str`` Series as an Arrow string array."""
    return pa.array(to_str(text).array)


def matches(values: pa.Array, pattern: str) -> pa.Array:
    """Arrow booleans: which values match ``pattern`` in full (RE2 syntax)."""
    return pc.match_substring_regex(values, f"^(?:{pattern})$")


def starts(values: pa.Array, pattern: str) -> pa.Array:
    """Arrow booleans: which values start with a match of ``pattern`` (RE2 syntax)."""
    return pc.match_substring_regex(values, f"^(?:{pattern})")


def infer_text(values: pd.Series, name: str, notes: Notes) -> pd.Series:
    """Type a text column by the canonical policy; see :func:`synthcraft.storage.read_table`.

    Returns a ``boolean``, ``Int64``, ``float64``, ``datetime64[us]``, ``datetime64[us, UTC]``
    or ``str`` Series with the index of ``values`` (which must be unique).
    """
    text = to_str(values)
    arr = arrow_text(text)
    stripped = pc.utf8_trim_whitespace(arr)
    missing = pc.or_(pc.is_null(arr), pc.is_in(stripped, value_set=_MISSING))
    missing = missing.to_numpy(zero_copy_only=False)
    if missing.any():
        text = text.mask(missing)
    present = pc.filter(stripped, pa.array(~missing))
    if len(present) == 0:
        return text
    first = str(present[0].as_py())
    for parse in (_booleans, _numbers, _iso_dates, _other_dates):
        typed = parse(present, first, name, notes)
        if typed is not None:
            typed.index = text.index[~missing]
            return typed.reindex(text.index)
    return text


def _all_match(present: pa.Array, first: str, pattern: str) -> bool:
    return _PY[pattern].fullmatch(first) is not None and bool(
        pc.all(matches(present, pattern)).as_py()
    )


def _booleans(present: pa.Array, first: str, name: str, notes: Notes) -> pd.Series | None:
    if first.lower() not in ("true", "false"):
        return None
    lower = pc.utf8_lower(present)
    if not pc.all(pc.is_in(lower, value_set=pa.array(["true", "false"]))).as_py():
        return None
    return pd.Series(pc.equal(lower, "true").to_numpy(zero_copy_only=False), dtype="boolean")


def _numbers(present: pa.Array, first: str, name: str, notes: Notes) -> pd.Series | None:
    if not _all_match(present, first, _FLOAT) or pc.any(starts(present, _LEADING_ZERO)).as_py():
        return None
    plain = pc.replace_substring_regex(pc.replace_substring(present, ",", ""), r"^\+", "")
    try:
        if pc.all(matches(present, _INT)).as_py():
            return pd.Series(pc.cast(plain, pa.int64()).to_numpy(), dtype="Int64")
        numbers = pd.Series(pc.cast(plain, pa.float64()).to_numpy(), dtype="float64")
    except pa.ArrowInvalid:
        return None  # e.g. whole numbers beyond 64 bits: identifiers rather than quantities
    return drop_infinite(numbers, name, notes)


def drop_infinite(numbers: pd.Series, name: str, notes: Notes) -> pd.Series:
    """Replace infinite values in a float64 Series with NaN, noting how many there were."""
    infinite = np.isinf(numbers.to_numpy(dtype="float64", na_value=np.nan))
    count = int(infinite.sum())
    if count:
        notes.infinite.append((name, count))
        numbers = numbers.mask(pd.Series(infinite, index=numbers.index))
    return numbers


def _iso_dates(present: pa.Array, first: str, name: str, notes: Notes) -> pd.Series | None:
    if not _all_match(present, first, _ISO):
        return None
    zoned = pc.match_substring_regex(pc.utf8_slice_codeunits(present, 10), "[Z+-]")
    if pc.all(zoned).as_py():
        utc = True
    elif not pc.any(zoned).as_py():
        utc = False
    else:
        notes.mixed_zones.append(name)
        return None
    try:
        parsed = pd.to_datetime(_pandas(present), format="ISO8601", utc=utc)
    except (ValueError, OverflowError):
        return None
    return parsed.dt.as_unit("us")


def _pandas(present: pa.Array) -> pd.Series:
    return pd.Series(present.to_pandas(), dtype="str")


def _other_dates(present: pa.Array, first: str, name: str, notes: Notes) -> pd.Series | None:
    for pattern, formats in _OTHER_DATES:
        if not _all_match(present, first, pattern):
            continue
        fits = []
        for fmt in formats:
            parsed = pd.to_datetime(_pandas(present), format=fmt, errors="coerce")
            if parsed.notna().all():
                fits.append(parsed)
        return fits[0].dt.as_unit("us") if len(fits) == 1 else None
    return None
