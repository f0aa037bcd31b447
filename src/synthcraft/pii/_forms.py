"""Forms: injective maps from an index in ``[0, size)`` to a string, decoded by mixed radix.

A :class:`Product` joins parts (literal strings, :class:`Choice` tables and zero-padded
:class:`Number` ranges); index ``i`` picks one value of every part, the last part varying
fastest, and an optional ``finish`` appends check digits. A :class:`Union` stacks forms one
after another. Distinct indices give distinct strings when the parts can be told apart in the
joined text (each module that builds forms keeps to that). Random draws decode uniform random
indices; :mod:`._unique` decodes a seeded permutation of the row numbers instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "MAX_SIZE",
    "Choice",
    "Form",
    "IntArray",
    "Number",
    "Part",
    "Product",
    "StrArray",
    "Union",
    "choice",
    "digit_matrix",
    "digits_to_str",
    "draw",
    "join",
    "num_str",
    "select",
    "zfill",
]

StrArray: TypeAlias = npt.NDArray[np.str_]
IntArray: TypeAlias = npt.NDArray[np.int64]

MAX_SIZE = 2**62
"""Largest number of values one form may hold (indices stay exact in int64 and uint64 maths)."""


def join(*parts: StrArray | str) -> StrArray:
    """Element-wise concatenation of string arrays and literals (broadcast)."""
    out = np.asarray(parts[0], dtype=np.str_)
    for part in parts[1:]:
        out = np.strings.add(out, part)
    return out


@cache
def _small_numbers(width: int) -> StrArray:
    """``"0" .. "9999"`` (width 0), or all ``width``-digit strings zero-padded (width 1..4)."""
    if width == 0:
        return np.asarray([str(i) for i in range(10_000)], dtype=np.str_)
    return np.asarray([f"{i:0{width}d}" for i in range(10**width)], dtype=np.str_)


def num_str(numbers: npt.ArrayLike, width: int = 0) -> StrArray:
    """Non-negative integers as decimal strings, zero-padded to ``width`` digits if given.

    Looks four-digit blocks up in cached tables: much faster than ``astype(str)``.
    """
    x = np.asarray(numbers, dtype=np.int64)
    if x.size == 0:
        return np.zeros(x.shape, dtype="<U1")
    if width > 0:
        blocks: list[StrArray] = []
        while width > 4:
            blocks.append(_small_numbers(4)[x % 10_000])
            x, width = x // 10_000, width - 4
        blocks.append(_small_numbers(width)[x % 10**width])
        return join(*reversed(blocks))
    small = x < 10_000
    if small.all():
        out: StrArray = _small_numbers(0)[x]
        return out
    low = _small_numbers(0)[np.where(small, x, 0)]
    return np.where(small, low, join(num_str(x // 10_000), _small_numbers(4)[x % 10_000]))


def zfill(text: StrArray, width: int) -> StrArray:
    """``np.strings.zfill`` that also takes empty arrays (and width 0: unchanged)."""
    if width <= 0 or text.size == 0:
        return text
    out: StrArray = np.strings.zfill(text, width)
    return out


def select(which: npt.NDArray[np.intp], *options: StrArray) -> StrArray:
    """Row ``i`` of the result is ``options[which[i]][i]``."""
    width = max(max(o.dtype.itemsize for o in options) // 4, 1)
    out = options[0].astype(f"<U{width}")
    for k, option in enumerate(options[1:], start=1):
        mask = which == k
        out[mask] = option[mask]
    return out


def digits_to_str(digits: npt.NDArray[np.integer]) -> StrArray:
    """Rows of a 2-D array of decimal digits as strings (``[[1, 2]]`` -> ``["12"]``)."""
    n, width = digits.shape
    codes = np.ascontiguousarray(digits.astype(np.uint32) + 48)
    return codes.view(f"<U{max(width, 1)}").reshape(n)


def digit_matrix(numbers: npt.NDArray[np.integer], width: int) -> npt.NDArray[np.int64]:
    """The ``width`` lowest decimal digits of each number, most significant first."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    out: npt.NDArray[np.int64] = (np.asarray(numbers, dtype=np.int64)[:, None] // powers) % 10
    return out


@dataclass(frozen=True, eq=False)
class Choice:
    """One of a table of strings."""

    values: StrArray

    @property
    def size(self) -> int:
        return int(self.values.shape[0])

    def render(self, digit: IntArray) -> StrArray:
        out: StrArray = self.values[digit]
        return out


def choice(values: Iterable[str]) -> Choice:
    """A :class:`Choice` over ``values`` (kept in order)."""
    return Choice(np.asarray(list(values), dtype=np.str_))


@dataclass(frozen=True)
class Number:
    """The integers ``low .. low + count - 1`` in decimal, zero-padded to ``width`` digits."""

    low: int
    count: int
    width: int = 0

    @property
    def size(self) -> int:
        return self.count

    def render(self, digit: IntArray) -> StrArray:
        return num_str(digit + self.low, self.width)


Part: TypeAlias = Choice | Number | str


class Form(Protocol):
    """Anything with a ``size`` and an injective ``decode`` of indices in ``[0, size)``."""

    @property
    def size(self) -> int: ...

    def decode(self, index: IntArray) -> StrArray: ...


@dataclass(frozen=True, eq=False)
class Product:
    """Mixed-radix product of parts; ``finish`` post-processes the joined strings."""

    parts: tuple[Part, ...]
    finish: Callable[[StrArray], StrArray] | None = None
    size: int = field(init=False)

    def __post_init__(self) -> None:
        size = math.prod(p.size for p in self.parts if not isinstance(p, str))
        if not 0 < size <= MAX_SIZE:
            raise ValueError(f"form size {size} outside 1..2**62")  # a bug in a form table
        object.__setattr__(self, "size", size)

    def decode(self, index: IntArray) -> StrArray:
        rest = np.asarray(index, dtype=np.int64)
        if rest.size == 0:  # numpy's string functions refuse empty arrays
            return np.zeros(rest.shape, dtype="<U1")
        pieces: list[StrArray | str] = []
        for part in reversed(self.parts):
            if isinstance(part, str):
                pieces.append(part)
                continue
            pieces.append(part.render(rest % part.size))
            rest = rest // part.size
        out = np.broadcast_to(join(*reversed(pieces)), rest.shape).astype(np.str_)
        return self.finish(out) if self.finish is not None else out


@dataclass(frozen=True, eq=False)
class Union:
    """The values of ``forms`` one after another (index ``i`` falls in one form's range)."""

    forms: tuple[Form, ...]
    size: int = field(init=False)
    _offsets: npt.NDArray[np.int64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        sizes = [f.size for f in self.forms]
        if sum(sizes) > MAX_SIZE:
            raise ValueError("union size above 2**62")  # a bug in a form table
        object.__setattr__(self, "size", sum(sizes))
        object.__setattr__(self, "_offsets", np.cumsum([0, *sizes], dtype=np.int64))

    def decode(self, index: IntArray) -> StrArray:
        index = np.asarray(index, dtype=np.int64)
        which = np.searchsorted(self._offsets, index, side="right") - 1
        parts: list[tuple[npt.NDArray[np.bool_], StrArray]] = []
        for k, form in enumerate(self.forms):
            mask = which == k
            if mask.any():
                parts.append((mask, form.decode(index[mask] - self._offsets[k])))
        width = max([p.dtype.itemsize // 4 for _, p in parts] + [1])
        out = np.zeros(index.shape, dtype=f"<U{width}")
        for mask, values in parts:
            out[mask] = values
        return out


def draw(form: Form, rng: np.random.Generator, n: int) -> StrArray:
    """``n`` values of ``form`` drawn uniformly (with repeats)."""
    return form.decode(rng.integers(0, form.size, size=n, dtype=np.int64))
