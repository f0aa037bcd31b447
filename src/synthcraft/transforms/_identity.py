"""Identifiers: encoded as nothing, decoded as new ids in the style of the fitted ones.

The learned state never holds a real id, only its shape: the largest number, a shared prefix
and zero-padding width, the UUID letter case and the versions seen, or per position the
characters a code may use. Every style decodes to values that cannot equal a fitted id:

* ``integer`` (whole-number dtypes): ``max + 1``, ``max + 2``, ...
* ``number`` (text that is a shared prefix then digits, e.g. ``"C-0042"``): the prefix and the
  numbers after the largest fitted one, zero-padded alike.
* ``uuid`` (canonical UUID text): random UUIDs with a version digit no fitted id has (8 when
  free), so they differ in that digit.
* ``shape`` (other codes): random codes drawing each position from the character class seen
  there; one position draws only characters never seen at that position, or, when none is left
  or the lengths vary, the codes are one character longer than every fitted id. Once a shape's
  codes run out, further codes get a longer prefix.
"""

from __future__ import annotations

import math
import re
import string
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from synthcraft._rng import check_rng
from synthcraft.errors import DataError, ModelFileError
from synthcraft.metadata import Column
from synthcraft.transforms._base import Encoder, restore_dtype

__all__ = ["IdEncoder"]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_NUMBER = re.compile(r"(.*?)([0-9]+)", re.DOTALL)
_HEX = "0123456789abcdef"
_UUID_VERSIONS = "8765432190abcdef"
_CLASSES = (
    string.digits,
    _HEX,
    _HEX.upper(),
    string.ascii_lowercase,
    string.ascii_uppercase,
    string.digits + string.ascii_lowercase,
    string.digits + string.ascii_uppercase,
    string.ascii_letters,
    string.digits + string.ascii_letters,
)
_MAX_COUNTER = 2**31  # counters and code spaces stay below this, so products fit in int64
_STYLES = ("integer", "number", "uuid", "shape")


class IdEncoder(Encoder, registry_name="id"):
    """Encode an id column as zero columns; decode to new ids that share no value with the fit.

    Unique columns (``column.unique`` or distinct fit values) decode to unique ids, also across
    blocks decoded with their ``start`` row numbers; other columns draw from a pool of new ids
    with the fitted share of distinct values. Missing ids come back at the fitted missing share.
    See the module docstring for the styles.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from synthcraft.metadata import Column, ColumnKind
    >>> s = pd.Series(["C-007", "C-012"], dtype="str", name="id")
    >>> enc = IdEncoder().fit(s, Column("id", ColumnKind.ID, "str", unique=True))
    >>> enc.inverse_transform(np.zeros((3, 0)), rng=np.random.default_rng(0)).tolist()
    ['C-013', 'C-014', 'C-015']
    """

    _learned: ClassVar[dict[str, type | tuple[type, ...]]] = {
        "style_": str,
        "unique_": bool,
        "distinct_share_": (int, float),
        "next_": int,
        "prefix_": str,
        "width_": int,
        "version_": str,
        "upper_": bool,
        "alphabets_": list,
        "free_position_": int,
        "free_chars_": str,
    }

    style_: str
    unique_: bool
    distinct_share_: float
    next_: int | None
    prefix_: str | None
    width_: int | None
    version_: str | None
    upper_: bool | None
    alphabets_: list[str] | None
    free_position_: int | None
    free_chars_: str | None

    def __init__(self) -> None:
        pass

    def _fit(self, series: pd.Series, column: Column, missing: np.ndarray) -> None:
        present = series[~missing]
        n_distinct = int(present.nunique())
        self.unique_ = bool(column.unique or n_distinct == len(present))
        self.distinct_share_ = n_distinct / len(present) if len(present) else 1.0
        self.next_ = self.prefix_ = self.width_ = self.version_ = self.upper_ = None
        self.alphabets_ = self.free_position_ = self.free_chars_ = None
        if pd.api.types.is_integer_dtype(series.dtype):
            self.style_ = "integer"
            top = int(present.max()) if len(present) else -1
            self.next_ = top + 1
            return
        if not (
            pd.api.types.is_string_dtype(series.dtype) or pd.api.types.is_object_dtype(series.dtype)
        ) or not all(isinstance(value, str) for value in present):
            raise DataError(
                f"id column {column.name!r} has dtype {series.dtype}; an id must be whole "
                "numbers (Int64) or text (str)"
            )
        values = [str(value) for value in present]
        if not values:
            self.style_, self.prefix_, self.width_, self.next_ = "number", "", 0, 0
        elif not self._fit_uuid(values) and not self._fit_number(values):
            self._fit_shape(values)

    def _fit_number(self, values: list[str]) -> bool:
        matches = [_NUMBER.fullmatch(value) for value in values]
        if not values or not all(matches):
            return False
        prefixes = {m.group(1) for m in matches if m is not None}
        # One shared prefix is structure; the prefix of a single id may be most of a real id.
        if len(prefixes) != 1 or (len(set(values)) < 2 and any(c.isdigit() for c in prefixes)):
            return False
        digits = [m.group(2) for m in matches if m is not None]
        lengths = {len(d) for d in digits}
        self.style_ = "number"
        self.prefix_ = prefixes.pop()
        self.width_ = lengths.pop() if len(lengths) == 1 else 0
        self.next_ = max(int(d) for d in digits) + 1
        return True

    def _fit_uuid(self, values: list[str]) -> bool:
        upper = all(value == value.upper() for value in values)
        if not values or not all(_UUID.fullmatch(value.lower()) for value in values):
            return False
        if not upper and not all(value == value.lower() for value in values):
            return False
        seen = {value[14].lower() for value in values}
        free = [v for v in _UUID_VERSIONS if v not in seen]
        if not free:
            return False
        self.style_ = "uuid"
        self.version_ = free[0]
        self.upper_ = upper
        return True

    def _fit_shape(self, values: list[str]) -> None:
        self.style_ = "shape"
        self.free_position_, self.free_chars_ = -1, ""
        lengths = {len(value) for value in values}
        alnum = {char for value in values for char in value if char.isalnum()}
        if len(lengths) != 1 or lengths == {0}:
            self.alphabets_ = [_alphabet(alnum)] * (max(lengths, default=0) + 1)
            return
        columns = [set(chars) for chars in zip(*values, strict=True)]
        literal = len(values) > 1
        alphabets = [_alphabet(chars, literal=literal) for chars in columns]
        free = [sorted(set(a) - c) for a, c in zip(alphabets, columns, strict=True)]
        best = max(range(len(free)), key=lambda i: (bool(free[i]), len(columns[i]), i))
        if free[best]:
            self.alphabets_ = alphabets
            self.free_position_ = best
            self.free_chars_ = "".join(free[best])
        else:
            self.alphabets_ = [_alphabet(alnum), *alphabets]

    def _restore(self, arrays: Any) -> None:
        if self.style_ not in _STYLES:
            raise ModelFileError(f"id encoder: unknown style {self.style_!r}; the file is corrupt")

    def _transform(self, series: pd.Series, missing: np.ndarray) -> np.ndarray:
        return np.zeros((len(series), 0), dtype=np.float64)

    def _inverse(self, array: np.ndarray, rng: np.random.Generator | None, start: int) -> pd.Series:
        n = len(array)
        generator = check_rng(rng)
        if self.unique_:
            counters = np.arange(start, start + n, dtype=np.int64)
        else:
            pool = max(1, round(n * self.distinct_share_))
            counters = start + generator.integers(0, pool, size=n)
        values = np.asarray(self._generate(counters, generator), dtype=object)
        if self.has_missing_:
            values[generator.random(n) < self.missing_share_] = None
        if self.style_ == "integer":
            values = pd.array(values.tolist(), dtype="Int64")
        return restore_dtype(values, self.dtype_, self.column_.name)

    def _generate(self, counters: np.ndarray, rng: np.random.Generator) -> list[Any]:
        if self.style_ == "integer":
            first = int(self.next_ or 0)
            if len(counters) and first + int(counters.max()) >= 2**63:
                raise DataError(
                    f"id column {self.column_.name!r}: new ids would pass the int64 limit; "
                    "declare the column text"
                )
            return [first + int(c) for c in counters]
        if self.style_ == "number":
            prefix, width, first = self.prefix_ or "", self.width_ or 0, self.next_ or 0
            return [f"{prefix}{first + int(c):0{width}d}" for c in counters]
        if self.style_ == "uuid":
            return _uuids(counters, rng, self.version_ or "8", bool(self.upper_))
        return self._codes(counters, rng)

    def _codes(self, counters: np.ndarray, rng: np.random.Generator) -> list[str]:
        alphabets = list(self.alphabets_ or [])
        n = len(counters)
        picks = [rng.integers(0, len(a), size=n) for a in alphabets]
        if self.free_position_ is not None and self.free_position_ >= 0:
            free = self.free_chars_ or ""
            picks[self.free_position_] = rng.integers(0, len(free), size=n)
            alphabets[self.free_position_] = free
        # Unique ids: the trailing positions spell a scrambled counter in mixed radix.
        tail: list[int] = []
        space = 1
        for i in reversed(range(len(alphabets))):
            radix = len(alphabets[i])
            if radix > 1 and space * radix <= _MAX_COUNTER:
                tail.append(i)
                space *= radix
        rest = (counters % space * _coprime(space) + space // 3) % space
        for i in tail:
            radix = len(alphabets[i])
            picks[i] = rest % radix
            rest = rest // radix
        table = [np.array(list(a), dtype=object) for a in alphabets]
        columns = [table[i][picks[i]] for i in range(len(alphabets))]
        codes = ["".join(chars) for chars in zip(*columns, strict=True)] if columns else [""] * n
        # Counters beyond the shape's space get a prefix spelling counter // space, so the codes
        # stay unique and, being longer than every fitted id, new.
        head = alphabets[0] if len(alphabets[0]) > 1 else string.digits
        for row in np.flatnonzero(counters >= space):
            codes[row] = _spell(int(counters[row]) // space, head) + codes[row]
        return codes

    def _output_names(self) -> list[str]:
        return []


def _alphabet(chars: set[str], *, literal: bool = False) -> str:
    """The smallest character class holding ``chars`` (the characters themselves if none).

    One character seen alone is kept as a literal when ``literal`` or when it is not a letter or
    digit (a separator such as ``-``).
    """
    if len(chars) == 1 and (literal or not next(iter(chars)).isalnum()):
        return next(iter(chars))
    for alphabet in _CLASSES:
        if chars <= set(alphabet):
            return alphabet
    return "".join(sorted(chars))


def _spell(number: int, alphabet: str) -> str:
    """``number`` (at least 1) written in base ``len(alphabet)`` with ``alphabet`` as digits."""
    out = ""
    while number:
        number, digit = divmod(number, len(alphabet))
        out = alphabet[digit] + out
    return out


def _coprime(space: int) -> int:
    """A multiplier near 0.618 * ``space`` that is coprime to it (a bijection modulo space)."""
    candidate = max(1, int(space * 0.6180339887))
    while math.gcd(candidate, space) != 1:
        candidate -= 1
    return candidate


def _uuids(counters: np.ndarray, rng: np.random.Generator, version: str, upper: bool) -> list[str]:
    """Random RFC-variant UUIDs of ``version`` whose last 48 bits are a scrambled counter."""
    n = len(counters)
    raw = np.frombuffer(rng.bytes(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | (int(version, 16) << 4)
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    scrambled = counters.astype(np.uint64) * np.uint64(0x9E3779B97F4B) + np.uint64(0x5DEECE66D)
    node = scrambled & np.uint64(2**48 - 1)
    for k in range(6):
        raw[:, 15 - k] = ((node >> np.uint64(8 * k)) & np.uint64(0xFF)).astype(np.uint8)
    text = raw.tobytes().hex()
    out = []
    for i in range(n):
        h = text[32 * i : 32 * (i + 1)]
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return [value.upper() for value in out] if upper else out
