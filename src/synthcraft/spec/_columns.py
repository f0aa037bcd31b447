"""Column generators of a spec, compiled once into fast vectorised drawers.

Every drawer makes the values of one column for a block of rows, from its own random stream
(``stream(seed, *key)``), so that adding a column never changes another column's values.
Draws are prefix-stable: a block of ``k`` rows equals the first ``k`` rows of a longer block
from the same seed (every random array is drawn row by row, or in fixed chunks of
:data:`CHUNK` rows from one stream per chunk).

Values inside a block ("working arrays") are plain arrays: ``float64`` (NaN = missing) for
numbers and booleans (``int64`` / ``bool`` when nothing is missing), ``datetime64[us]`` wall-clock
times, and pyarrow ``large_string`` arrays (or object arrays) for text. :mod:`._datetimes`
turns them into the canonical pandas dtypes at the end of the block and reads condition columns
into them.

This module holds the drawers that do not take copula uniforms (ids, uuids, PII, formulas,
``by`` cases); the marginal drawers (distributions, categories, booleans, constants) live with
the copula in :mod:`._copula` and datetimes in :mod:`._datetimes`.
"""

from __future__ import annotations

import re
import string
import zlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from synthcraft import pii
from synthcraft.errors import SpecError, UserInputError
from synthcraft.spec._formula import parse_formula
from synthcraft.spec._model import ByGen, Dtype, FormulaGen, IdGen, PiiGen

__all__ = [
    "CHUNK",
    "BlockState",
    "ByDrawer",
    "CopulaColumn",
    "Drawer",
    "FormulaDrawer",
    "IdDrawer",
    "PiiDrawer",
    "UuidDrawer",
    "coerce",
    "format_ints",
    "formula_input",
    "missing_values",
    "name_key",
    "parse_id_format",
    "rows_of",
    "scatter",
    "stream",
    "strings",
    "take",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Key = tuple[int, ...]

CHUNK = 4_096
"""Rows per random chunk of drawers whose draws are not row by row (PII, multi-noise formulas)."""


def stream(seed: np.random.SeedSequence, *key: int) -> np.random.Generator:
    """A Generator for sub-stream ``key`` of a block seed (``seed`` itself is not changed)."""
    child = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, *key))
    return np.random.Generator(np.random.PCG64(child))


def name_key(text: str) -> int:
    """A stable (process-independent) stream key for a name."""
    return zlib.crc32(text.encode("utf-8"))


# -- working arrays -------------------------------------------------------------------------


def take(values: Any, rows: IntArray | None) -> Any:
    """``values`` at ``rows`` (all when None)."""
    if rows is None:
        return values
    if isinstance(values, pa.Array):
        return values.take(pa.array(rows))
    return values[rows]


def strings(values: Any) -> pa.Array:
    """``values`` (arrow, numpy or a list) as a pyarrow ``large_string`` array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        return values if values.type == pa.large_string() else values.cast(pa.large_string())
    arr = np.asarray(values)
    if arr.dtype.kind in "iufb":
        missing = pd.isna(arr)
        text = arr.astype(np.str_).astype(object)
        return pa.array(text, type=pa.large_string(), mask=missing)
    return pa.array(arr.astype(object), type=pa.large_string(), from_pandas=True)


def coerce(values: Any, dtype: Dtype) -> Any:
    """``values`` in the canonical working form of ``dtype`` (float64 / datetime64 / strings)."""
    if dtype in ("categorical", "string"):
        return strings(values)
    if dtype == "datetime":
        return np.asarray(values).astype("datetime64[us]")
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        return arr.astype(np.float64, copy=False)
    if arr.dtype.kind in "iub":
        return arr.astype(np.float64)
    return pd.to_numeric(pd.Series(arr, dtype=object), errors="coerce").to_numpy(np.float64)


def formula_input(values: Any) -> npt.NDArray[Any]:
    """``values`` as a formula input: numbers as they are, text as objects, times as days."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        out: npt.NDArray[Any] = values.to_numpy(zero_copy_only=False)
        return out
    if isinstance(values, pd.Series):
        return _series_input(values)
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        days = arr.astype("datetime64[us]").astype(np.int64) / 86_400e6
        return np.where(np.isnat(arr), np.nan, days)
    return arr


def _series_input(series: pd.Series) -> npt.NDArray[Any]:
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        naive = series.dt.tz_localize(None) if isinstance(dtype, pd.DatetimeTZDtype) else series
        return formula_input(naive.to_numpy("datetime64[us]"))
    if pd.api.types.is_bool_dtype(dtype) and not series.hasnans:
        return series.to_numpy(bool)
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return series.to_numpy(np.float64, na_value=np.nan)
    out: npt.NDArray[Any] = series.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
    return out


def scatter(parts: list[tuple[IntArray, Any]], n: int, dtype: Dtype) -> Any:
    """One working array of ``n`` rows from ``(rows, values)`` parts; uncovered rows missing."""
    covered = np.concatenate([rows for rows, _ in parts]) if parts else np.empty(0, np.int64)
    values = [coerce(v, dtype) for _, v in parts]
    rest = np.setdiff1d(np.arange(n), covered, assume_unique=True)
    if len(rest):
        covered = np.concatenate([covered, rest])
        values.append(missing_values(dtype, len(rest)))
    order = np.empty(n, dtype=np.int64)
    order[covered] = np.arange(n)
    if dtype in ("categorical", "string"):
        return pa.concat_arrays(values).take(pa.array(order))
    joined = np.concatenate(values) if values else missing_values(dtype, 0)
    return joined[order]


def missing_values(dtype: Dtype, n: int) -> Any:
    """``n`` missing working values of ``dtype``."""
    if dtype in ("categorical", "string"):
        return pa.nulls(n, pa.large_string())
    if dtype == "datetime":
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    return np.full(n, np.nan)


# -- block state ----------------------------------------------------------------------------


@dataclass
class BlockState:
    """What the drawers of one block share: its seed, size, first row and values so far.

    ``values`` holds declared columns already drawn (working arrays); ``external`` holds the
    condition columns that are inputs only (``parent.col``, foreign keys), as pandas Series.
    """

    seed: np.random.SeedSequence
    n: int
    start: int
    values: dict[str, Any] = field(default_factory=dict)
    external: Mapping[str, pd.Series] = field(default_factory=dict)
    _inputs: dict[str, npt.NDArray[Any]] = field(default_factory=dict)

    def input(self, name: str, rows: IntArray | None, *, needed_by: str) -> npt.NDArray[Any]:
        """Column ``name`` as a formula input (at ``rows``)."""
        if name not in self._inputs:
            if name in self.values:
                self._inputs[name] = formula_input(self.values[name])
            elif name in self.external:
                self._inputs[name] = formula_input(self.external[name])
            else:
                raise UserInputError(
                    f"column {needed_by!r} uses {name!r}, which is not given; pass it as a "
                    "condition column or sample the tables together (MultiTableSampler)"
                )
        out: npt.NDArray[Any] = take(self._inputs[name], rows)
        return out

    def forget(self, name: str) -> None:
        """Drop the cached input of ``name`` (after its values changed)."""
        self._inputs.pop(name, None)


# -- drawers --------------------------------------------------------------------------------


class Drawer(ABC):
    """Draws one column's values for a block (or for the rows of a ``by`` case)."""

    dtype: Dtype = "float"
    inputs: tuple[str, ...] = ()

    @abstractmethod
    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        """Working values of ``rows`` (all ``state.n`` rows when None) from stream ``key``.

        ``u`` are copula uniforms for a column of a correlation block (else None).
        """


@runtime_checkable
class CopulaColumn(Protocol):
    """A drawer that takes copula uniforms and can map given values back to uniforms."""

    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        """See :meth:`Drawer.draw`."""

    def to_uniform(self, values: Any, rng: np.random.Generator) -> FloatArray:
        """Uniforms that give ``values`` (random within a discrete value's step)."""


def rows_of(state: BlockState, rows: IntArray | None) -> int:
    """How many rows a draw makes: ``len(rows)``, or the whole block."""
    return state.n if rows is None else len(rows)


# -- text built as bytes: ids and uuids -----------------------------------------------------


@cache
def _quads() -> npt.NDArray[np.uint8]:
    """ASCII digits of 0000..9999 as a ``10000 x 4`` byte table."""
    digits = np.frombuffer(b"0123456789", dtype=np.uint8)
    n = np.arange(10_000)
    return np.stack(
        [digits[n // 1000], digits[n // 100 % 10], digits[n // 10 % 10], digits[n % 10]], axis=1
    )


def _text(chars: npt.NDArray[np.uint8], keep: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    """Rows of ``chars`` (only the ``keep`` cells when given) as a large_string array."""
    n, width = chars.shape
    if keep is None:
        offsets = np.arange(n + 1, dtype=np.int64) * width
        data = np.ascontiguousarray(chars)
    else:
        offsets = np.concatenate([[0], np.cumsum(keep.sum(axis=1), dtype=np.int64)])
        data = chars[keep]
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(data))


_FORMAT_SPEC = re.compile(r"(0?)(\d*)d?")


def parse_id_format(fmt: str, path: str) -> tuple[bytes, bytes, int, bool]:
    """``(prefix, suffix, width, zero_pad)`` of an id format such as ``"INV-{n:06d}"``."""
    try:
        parts = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise SpecError([f"{path}.format: {exc}; write e.g. 'INV-{{n:06d}}'"]) from None
    fields = [p for p in parts if p[1] is not None]
    spec = fields[0][2] if len(fields) == 1 else None
    match = _FORMAT_SPEC.fullmatch(spec or "") if spec is not None else None
    if len(fields) != 1 or fields[0][1] != "n" or fields[0][3] or match is None:
        raise SpecError(
            [f"{path}.format: {fmt!r} needs exactly one field {{n}}, {{n:06d}} or {{n:6d}}"]
        )
    index = parts.index(fields[0])
    prefix = "".join(p[0] for p in parts[: index + 1])
    suffix = "".join(p[0] for p in parts[index + 1 :])
    width = int(match.group(2) or 0)
    return prefix.encode(), suffix.encode(), width, bool(match.group(1)) and width > 0


def format_ints(values: IntArray, prefix: bytes, suffix: bytes, width: int, zero: bool) -> pa.Array:
    """``f"{prefix}{v:0{width}d}{suffix}"`` (or space-padded) for each value, vectorised."""
    n = len(values)
    neg = values < 0
    mag = np.abs(values).astype(np.uint64)
    top = int(mag.max()) if n else 0
    n_digits = np.ones(n, dtype=np.int64)
    for k in range(1, len(str(top))):
        n_digits += mag >= np.uint64(10**k)
    body_len = np.maximum(width, n_digits + neg)
    body = int(body_len.max()) if n else width
    quads = -(-body // 4)
    chars = np.empty((n, quads * 4), dtype=np.uint8)
    for j in range(quads - 1, -1, -1):
        mag, rest = np.divmod(mag, np.uint64(10_000))
        chars[:, 4 * j : 4 * j + 4] = _quads()[rest.astype(np.intp)]
    chars = chars[:, quads * 4 - body :]
    col = np.arange(body)
    if not zero:
        chars[col < (body - n_digits)[:, None]] = ord(" ")
    sign = np.flatnonzero(neg)
    chars[sign, (body - (body_len if zero else n_digits + 1))[sign]] = ord("-")
    pre = np.broadcast_to(np.frombuffer(prefix, dtype=np.uint8), (n, len(prefix)))
    post = np.broadcast_to(np.frombuffer(suffix, dtype=np.uint8), (n, len(suffix)))
    full = np.concatenate([pre, chars, post], axis=1)
    if n == 0 or (body_len == body).all():
        return _text(full)
    keep = np.ones(full.shape, dtype=bool)
    keep[:, len(prefix) : len(prefix) + body] = col >= (body - body_len)[:, None]
    return _text(full, keep)


class IdDrawer(Drawer):
    """A counter ``start + step * row`` over the whole sample; formatted text when asked."""

    def __init__(self, gen: IdGen, dtype: Dtype, *, path: str) -> None:
        self.gen, self.dtype = gen, dtype
        self.format = parse_id_format(gen.format, path) if gen.format is not None else None

    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        row = np.arange(state.n, dtype=np.int64) if rows is None else rows.astype(np.int64)
        values = self.gen.start + self.gen.step * (state.start + row)
        return values if self.format is None else format_ints(values, *self.format)


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_M62 = np.uint64(2**62 - 1)


def _mix62(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """A bijection of ``[0, 2**62)`` that scatters neighbouring counters."""
    with np.errstate(over="ignore"):
        x = (x * np.uint64(0x9E3779B97F4A7C15)) & _M62
        x ^= x >> np.uint64(31)
        x = (x * np.uint64(0xBF58476D1CE4E5B9)) & _M62
        x ^= x >> np.uint64(29)
        x = (x * np.uint64(0x94D049BB133111EB)) & _M62
        return x ^ (x >> np.uint64(32))


class UuidDrawer(Drawer):
    """Version-4 UUIDs: 60 random bits from the column stream and 62 bits that are a keyed
    bijection of the row number, so values never repeat within a sample (unique by
    construction, across blocks)."""

    dtype: Dtype = "string"

    def __init__(self, table: str, column: str) -> None:
        self.key = name_key(f"{table}.{column}")

    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        n = rows_of(state, rows)
        row = np.arange(n, dtype=np.uint64) if rows is None else rows.astype(np.uint64)
        table_seed = np.random.SeedSequence(state.seed.entropy, spawn_key=(self.key,))
        offset = table_seed.generate_state(1, dtype=np.uint64)[0]
        with np.errstate(over="ignore"):
            low = _mix62((row + np.uint64(state.start) + offset) & _M62) | np.uint64(2**63)
        high = stream(state.seed, *key).integers(0, 2**64, size=n, dtype=np.uint64, endpoint=False)
        high = (high & ~np.uint64(0xF000)) | np.uint64(0x4000)
        raw = np.stack([high, low], axis=1).astype(">u8").view(np.uint8).reshape(n, 16)
        nibbles = np.stack([raw >> 4, raw & 15], axis=2).reshape(n, 32)
        chars = np.insert(_HEX[nibbles], [8, 12, 16, 20], ord("-"), axis=1)
        return _text(chars)


# -- pii, formulas, conditional cases ---------------------------------------------------------


def _pad(values: npt.NDArray[Any], size: int) -> npt.NDArray[Any]:
    """``values`` padded to ``size`` rows by repeating the last row (never empty)."""
    if len(values) == size:
        return values
    return np.concatenate([values, np.repeat(values[-1:], size - len(values), axis=0)])


class PiiDrawer(Drawer):
    """Fake values of a :mod:`synthcraft.pii` kind, drawn in chunks of :data:`CHUNK` rows.

    ``unique`` values come from ``pii.generate_unique`` with a seed shared by every block of
    the sample (row numbers ``start + i``); ``source`` names the column (a name) they match.
    """

    dtype: Dtype = "string"

    def __init__(self, gen: PiiGen, *, unique: bool, table: str, column: str) -> None:
        self.gen, self.unique, self.column = gen, unique, column
        self.inputs = (gen.source,) if gen.source else ()
        self.key = name_key(f"{table}.{column}")

    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        n, gen = rows_of(state, rows), self.gen
        names = None
        if gen.source is not None:
            names = state.input(gen.source, rows, needed_by=self.column).astype(object)
        if self.unique:  # by cases are never unique, so rows are the block's
            seed = np.random.SeedSequence(state.seed.entropy, spawn_key=(self.key,))
            return pii.generate_unique(
                gen.kind,
                n,
                seed,
                start=state.start,
                locale=gen.locale,
                names=names,
                column=self.column,
            )
        chunks = [np.empty(0, dtype=object)]
        for c, lo in enumerate(range(0, n, CHUNK)):
            rng = stream(state.seed, *key, c)
            if names is None:
                chunks.append(pii.generate(gen.kind, CHUNK, rng, locale=gen.locale))
            else:
                part = _pad(names[lo : lo + CHUNK], CHUNK)
                chunks.append(pii.generate_from_names(gen.kind, part, rng, locale=gen.locale))
        return np.concatenate(chunks)[:n]


class FormulaDrawer(Drawer):
    """A formula of other columns plus noise; whole numbers for integer columns.

    A formula with two or more noise terms is evaluated in chunks of :data:`CHUNK` rows, each
    with its own stream, so that its rows stay prefix-stable.
    """

    def __init__(self, gen: FormulaGen, dtype: Dtype, *, path: str, column: str) -> None:
        self.dtype, self.column = dtype, column
        self.formula = parse_formula(gen.expression, path=f"{path}.formula")
        self.inputs = tuple(self.formula.inputs)
        self.decimals = gen.decimals

    def values(self, state: BlockState, key: Key, rows: IntArray | None) -> FloatArray:
        """The formula's float values (booleans as 1/0; NaN where an input is missing)."""
        n = rows_of(state, rows)
        cols = {name: state.input(name, rows, needed_by=self.column) for name in self.inputs}
        if len(self.formula.noise) < 2:
            parts = [self._eval(cols, stream(state.seed, *key), n)]
        else:
            parts = [np.empty(0)]
            for c, lo in enumerate(range(0, n, CHUNK)):
                chunk = {k: _pad(v[lo : lo + CHUNK], CHUNK) for k, v in cols.items()}
                parts.append(self._eval(chunk, stream(state.seed, *key, c), CHUNK)[: n - lo])
        return np.concatenate(parts)

    def _eval(self, cols: dict[str, Any], rng: np.random.Generator, n: int) -> FloatArray:
        values, missing = self.formula.evaluate_masked(cols, rng, n)
        out = values.astype(np.float64)
        out[missing] = np.nan
        return out

    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        x = self.values(state, key, rows)
        if self.dtype == "integer":
            return np.rint(x)
        if self.dtype == "boolean" and not np.isnan(x).any():
            return x > 0.5
        return np.round(x, self.decimals) if self.decimals is not None else x


def _matches(values: npt.NDArray[Any], case: Any) -> npt.NDArray[np.bool_]:
    if values.dtype.kind in "biuf" and isinstance(case, str):
        try:
            case = float(case)
        except ValueError:
            return np.zeros(len(values), dtype=bool)
    if values.dtype.kind == "O":
        return np.asarray(pd.Series(values, dtype=object).isin([case]), dtype=bool)
    return np.asarray(values == case, dtype=bool)


class ByDrawer(Drawer):
    """A conditional column: the case's drawer on the rows holding its value of ``column``."""

    def __init__(
        self,
        gen: ByGen,
        cases: list[Drawer],
        default: Drawer | None,
        dtype: Dtype,
        *,
        column: str,
    ) -> None:
        self.gen, self.cases, self.default, self.dtype = gen, cases, default, dtype
        self.column = column
        needed = [gen.column] + [n for d in [*cases, default] if d for n in d.inputs]
        self.inputs = tuple(dict.fromkeys(needed))

    def draw(self, state: BlockState, key: Key, rows: IntArray | None, u: FloatArray | None) -> Any:
        values = state.input(self.gen.column, rows, needed_by=self.column)
        free = np.ones(len(values), dtype=bool)
        parts: list[tuple[IntArray, Any]] = []
        labelled = [
            (value, d, i + 1)
            for i, ((value, _), d) in enumerate(zip(self.gen.cases, self.cases, strict=True))
        ]
        for value, drawer, k in labelled:
            hit = np.flatnonzero(_matches(values, value) & free)
            free[hit] = False
            parts.append(
                (hit, drawer.draw(state, (*key, k), hit if rows is None else rows[hit], None))
            )
        if self.default is not None:
            rest = np.flatnonzero(free)
            sub = rest if rows is None else rows[rest]
            parts.append((rest, self.default.draw(state, (*key, 0), sub, None)))
        return scatter(parts, len(values), self.dtype)
