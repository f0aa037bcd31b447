"""Unique fake values across a whole table generated block by block.

Row ``r`` of a table gets ``decode(perm(r))``: ``perm`` is a bijection of ``[0, space)`` keyed
by the table's seed, and ``decode`` maps an index to a value by mixed radix over the kind's
parts (:mod:`._schemes`). A bijection never sends two rows to one index, so values never repeat,
whichever blocks the rows are generated in and in which order. ``perm`` is a six-round Feistel
network on the next even power of two above each tier's size, with cycle walking (re-encrypt
until the result falls inside the tier), computed on whole arrays with 64-bit integer maths.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np
import numpy.typing as npt

from synthcraft._rng import seed_sequence
from synthcraft.errors import UserInputError
from synthcraft.pii._forms import IntArray, StrArray, join
from synthcraft.pii._kinds import check_locale, get_kind
from synthcraft.pii._matching import name_local_parts
from synthcraft.pii._schemes import Scheme, scheme

__all__ = ["generate_unique", "space_size"]

_ROUNDS = 6
_U64 = npt.NDArray[np.uint64]
_M1, _M2, _M3 = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xBF58476D1CE4E5B9),
    np.uint64(0x94D049BB133111EB),
)


def _mix(x: _U64, key: np.uint64) -> _U64:
    """A 64-bit integer hash of ``x`` under ``key`` (splitmix64 finaliser; wraps on purpose)."""
    z = (x + key) * _M1
    z = (z ^ (z >> np.uint64(30))) * _M2
    z = (z ^ (z >> np.uint64(27))) * _M3
    out: _U64 = z ^ (z >> np.uint64(31))
    return out


def _permute(index: IntArray, size: int, keys: _U64) -> IntArray:
    """A keyed bijection of ``[0, size)`` applied to ``index`` (Feistel with cycle walking)."""
    bits = max(2, (size - 1).bit_length())
    half = np.uint64((bits + 1) // 2)
    mask = np.uint64((1 << int(half)) - 1)

    def encrypt(x: _U64) -> _U64:
        left, right = x >> half, x & mask
        for key in keys:
            left, right = right, left ^ (_mix(right, key) & mask)
        out: _U64 = (left << half) | right
        return out

    y = encrypt(index.astype(np.uint64))
    todo = np.flatnonzero(y >= np.uint64(size))
    while todo.size:  # walk the cycle until each value lands inside [0, size)
        y[todo] = encrypt(y[todo])
        todo = todo[y[todo] >= np.uint64(size)]
    return y.astype(np.int64)


def _keys(seed: object, kind: str, tiers: int) -> _U64:
    if isinstance(seed, np.random.Generator) or seed is None:
        raise UserInputError(
            "unique values need the table's seed as a whole number or numpy SeedSequence "
            f"(got {type(seed).__name__}), the same for every block; pass e.g. seed=42"
        )
    table = seed_sequence(seed)  # type: ignore[arg-type]
    spawn_key = (*table.spawn_key, zlib.crc32(kind.encode()))
    keyed = np.random.SeedSequence(entropy=table.entropy, spawn_key=spawn_key)
    keys: _U64 = np.asarray(keyed.generate_state(_ROUNDS * tiers + 1, np.uint64), np.uint64)
    return keys


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise UserInputError(f"{what} must be a whole number >= 0, got {value!r}; pass e.g. 100")
    return int(value)


def _decode(plan: Scheme, rows: IntArray, keys: _U64) -> StrArray:
    offsets = np.cumsum([0, *(t.size for t in plan.tiers)], dtype=np.int64)
    tier = np.searchsorted(offsets, rows, side="right") - 1
    parts: list[tuple[npt.NDArray[np.bool_], StrArray]] = []
    for k, form in enumerate(plan.tiers):
        mask = tier == k
        if mask.any():
            local = _permute(
                rows[mask] - offsets[k], form.size, keys[k * _ROUNDS : (k + 1) * _ROUNDS]
            )
            parts.append((mask, form.decode(local)))
    width = max([p.dtype.itemsize // 4 for _, p in parts] + [1])
    out = np.zeros(rows.shape, dtype=f"<U{width}")
    for mask, values in parts:
        out[mask] = values
    return out


def space_size(kind: str, locale: str = "en_US", *, from_names: bool = False) -> int:
    """How many distinct unique values of ``kind`` exist for ``locale``.

    ``from_names``: e-mails or usernames made from a name column (their uniqueness comes from
    the number and domain after the name part).

    Raises
    ------
    UserInputError
        For an unknown kind or locale, or a kind without unique values (city, country, job
        title, sentence).

    Examples
    --------
    >>> space_size("phone", "en_US")
    3200
    """
    name = get_kind(kind).name
    return scheme(name, check_locale(locale), from_names).size


def generate_unique(
    kind: str,
    n: int,
    seed: np.random.SeedSequence | int,
    *,
    start: int = 0,
    locale: str = "en_US",
    names: npt.ArrayLike | None = None,
    column: str | None = None,
) -> npt.NDArray[Any]:
    """Values for rows ``start .. start + n - 1`` of a table, never repeating across its rows.

    Parameters
    ----------
    kind : str
        A name from :func:`list_kinds` (not city, country, job_title or sentence).
    n : int
        How many rows this call makes.
    seed : int or numpy.random.SeedSequence
        The *table's* seed, the same for every block (a block's own seed would repeat values).
    start : int
        Row number of the first value in the whole table.
    locale : str
        One of :data:`LOCALES`.
    names : array-like, optional
        For ``email`` and ``username``: the full name of each of the ``n`` rows; the value is
        made from the name, and a number and domain that are unique in the table.
    column : str, optional
        Column name for error messages.

    Returns
    -------
    numpy.ndarray
        ``n`` Python strings (object array). Calls for consecutive blocks equal one call over
        the whole range.

    Raises
    ------
    UserInputError
        When ``start + n`` exceeds :func:`space_size`, or for bad arguments.

    Examples
    --------
    >>> a = generate_unique("email", 3, 7)
    >>> b = generate_unique("email", 2, 7, start=3)
    >>> len(set(a.tolist() + b.tolist()))
    5
    """
    name = get_kind(kind).name
    check_locale(locale)
    count, first = _count(n, "n"), _count(start, "start")
    plan = scheme(name, locale, names is not None)
    where = f"column {column!r}: " if column else ""
    if first + count > plan.size:
        raise UserInputError(
            f"{where}only {plan.size:,} distinct {name} values exist for locale {locale}; "
            "ask for fewer rows or drop unique: true"
        )
    texts: list[str] = []
    if names is not None:
        texts_arr = np.asarray(names, dtype=object).ravel()
        if texts_arr.shape[0] != count:
            raise UserInputError(
                f"{where}names has {texts_arr.shape[0]} values for {count} rows; pass one per row"
            )
    if count == 0:
        return np.asarray(texts, dtype=object)
    keys = _keys(seed, name, len(plan.tiers))
    rows = np.arange(first, first + count, dtype=np.int64)
    values = _decode(plan, rows, keys)
    selector = (_mix(rows.astype(np.uint64), keys[-1]) >> np.uint64(33)).astype(np.int64)
    if plan.style is not None:
        values = plan.style(values, selector)
    if names is not None:
        values = join(name_local_parts(texts_arr, selector, locale), values)
    return values.astype(object)
