"""Ids, keys and PII: regenerated, never copied.

The base synthesizer hands these columns to an :class:`IdentityModel`, so models only model the
other columns:

* the **primary key** is regenerated unique: a counter ``after + start + i + 1`` written in the
  real keys' style (integers, a shared prefix and zero-padded counter, fixed-width codes, UUIDs),
  where ``after`` is the real keys' largest number rounded up to a power of the base (only its
  order of magnitude is stored), so a regenerated key never equals a real one;
* other **id columns** keep how often each id repeats: at fit only the multiplicity distribution
  is stored (how many ids occur once, twice, ..., pooled so each stored multiplicity is shared by
  at least ``k`` ids), never an id. Sampling draws group sizes from
  it, lays the groups out in turn and shuffles rows within windows of 1,024 rows (so every id
  before the last, partial window keeps its full multiplicity), and maps each group code to a
  pseudonym with a keyed permutation (key from the sample seed's ``entropy``, so the same in
  every block) written in the id's style;
* **PII** columns get fake values of their kind from :func:`synthcraft.pii.generate`.

Every column keeps its share of missing values. Rows are prefix-stable: a block of ``k`` rows
equals the first ``k`` rows of a longer block from the same seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from synthcraft.metadata import ColumnKind, Metadata
from synthcraft.synthesizers._encoding import cast_series, text_series
from synthcraft.synthesizers._keys import IdStyle, derive_keys, format_ids, infer_style, permute

__all__ = ["IdentityModel", "pool_multiplicities", "stream"]

Role = Literal["key", "id", "pii"]

WINDOW = 1_024
"""Rows of one id layout window: rows are shuffled within a window, so an id's rows stay near
each other and every id in a complete window keeps its full multiplicity."""

PII_CHUNK = 4_096
"""Fake PII values are made in chunks of this many rows, each from its own seed."""

_SIZE_DRAWS = 4_096
_IDENTITY = 1


def pool_multiplicities(counts: npt.NDArray[np.int64], k: int) -> npt.NDArray[np.int64]:
    """``[sizes, ids]``: how many ids have each multiplicity, pooled to at least ``k`` ids each.

    Sizes are taken in increasing order and merged until a pool holds ``k`` ids; a pool is
    stored as its mean size (rounded), so no stored multiplicity belongs to fewer than ``k``
    ids and the number of rows is about kept. A short tail joins the last pool.
    """
    if counts.size == 0:
        return np.array([[1], [1]], dtype=np.int64)
    sizes, ids = np.unique(counts, return_counts=True)
    pools: list[list[int]] = []
    held_ids = held_rows = 0
    for size, n_ids in zip(sizes.tolist(), ids.tolist(), strict=True):
        held_ids += n_ids
        held_rows += size * n_ids
        if held_ids >= k:
            pools.append([held_rows, held_ids])
            held_ids = held_rows = 0
    if held_ids:
        if pools:
            pools[-1][0] += held_rows
            pools[-1][1] += held_ids
        else:
            pools.append([held_rows, held_ids])
    merged: dict[int, int] = {}
    for rows, n_ids in pools:
        size = max(1, round(rows / n_ids))
        merged[size] = merged.get(size, 0) + n_ids
    out = sorted(merged.items())
    return np.array([[s for s, _ in out], [n for _, n in out]], dtype=np.int64)


def stream(seed: np.random.SeedSequence, *path: int) -> np.random.Generator:
    """A Generator for the sub-stream ``path`` of a block seed (does not mutate ``seed``)."""
    child = np.random.SeedSequence(
        seed.entropy, spawn_key=(*seed.spawn_key, *path), pool_size=seed.pool_size
    )
    return np.random.Generator(np.random.PCG64(child))


@dataclass(frozen=True)
class _Spec:
    name: str
    position: int
    role: Role
    dtype: str
    missing_share: float
    style: IdStyle | None = None
    pii_kind: str | None = None
    after: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "after": self.after,
            "name": self.name,
            "position": self.position,
            "role": self.role,
            "dtype": self.dtype,
            "missing_share": self.missing_share,
            "style": None if self.style is None else self.style.to_dict(),
            "pii_kind": self.pii_kind,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _Spec:
        role = str(data["role"])
        if role not in ("key", "id", "pii"):
            raise ValueError(f"unknown identity role {role!r}")
        style = data.get("style")
        return cls(
            name=str(data["name"]),
            position=int(data["position"]),
            role=role,  # type: ignore[arg-type]
            dtype=str(data["dtype"]),
            missing_share=float(data["missing_share"]),
            style=None if style is None else IdStyle.from_dict(style),
            pii_kind=None if data.get("pii_kind") is None else str(data["pii_kind"]),
            after=int(data.get("after", 0)),
        )


class IdentityModel:
    """Regenerates the primary key, id and PII columns of a table (see the module docstring)."""

    def __init__(
        self, specs: tuple[_Spec, ...], multiplicity: dict[str, npt.NDArray[np.int64]]
    ) -> None:
        self.specs = specs
        self.multiplicity = multiplicity

    @property
    def names(self) -> list[str]:
        """Names of the columns this model produces."""
        return [s.name for s in self.specs]

    @classmethod
    def fit(
        cls, data: pd.DataFrame, metadata: Metadata, *, k: int = 5, dp: bool = False
    ) -> IdentityModel:
        """Learn styles, missing shares and id multiplicities (never the values themselves).

        Multiplicities are pooled so that each stored one is shared by at least ``k`` ids.
        With ``dp`` (a model trained under differential privacy) nothing is learned from the
        values: missing shares come from ``metadata`` (already released privately), every id
        occurs once, and the primary key counts from a power of ten above the row count.
        """
        specs: list[_Spec] = []
        multiplicity: dict[str, npt.NDArray[np.int64]] = {}
        for position, column in enumerate(metadata):
            series = data[column.name]
            share = column.missing_share if dp else float(series.isna().mean())
            if column.kind is ColumnKind.PII:
                kind = str(column.pii_kind)
                specs.append(_Spec(column.name, position, "pii", column.dtype, share, None, kind))
                continue
            if column.kind is not ColumnKind.ID:
                continue
            style = infer_style(series)
            role: Role = "key" if column.name == metadata.primary_key else "id"
            after = 0
            if role == "key":
                after = _public_floor(len(data), style) if dp else _key_floor(series, style)
            specs.append(
                _Spec(column.name, position, role, column.dtype, share, style, None, after)
            )
            if role == "id" and dp:
                multiplicity[column.name] = np.array([[1], [1]], dtype=np.int64)
            elif role == "id":
                tally = series.dropna().value_counts(sort=False)
                counts = np.asarray(tally.to_numpy(), dtype=np.int64)
                multiplicity[column.name] = pool_multiplicities(counts, k)
        return cls(tuple(specs), multiplicity)

    def get_state(self) -> tuple[list[dict[str, Any]], dict[str, npt.NDArray[Any]]]:
        """JSON-ready column list and the multiplicity arrays (keyed by column position)."""
        arrays = {
            f"mult{spec.position}": self.multiplicity[spec.name]
            for spec in self.specs
            if spec.name in self.multiplicity
        }
        return [s.to_dict() for s in self.specs], arrays

    @classmethod
    def from_state(
        cls, state: list[dict[str, Any]], arrays: dict[str, npt.NDArray[Any]]
    ) -> IdentityModel:
        """Rebuild from :meth:`get_state` output."""
        specs = tuple(_Spec.from_dict(d) for d in state)
        multiplicity = {
            s.name: np.asarray(arrays[f"mult{s.position}"], dtype=np.int64)
            for s in specs
            if s.role == "id"
        }
        return cls(specs, multiplicity)

    def sample_block(
        self, seed: np.random.SeedSequence, n_rows: int, start: int
    ) -> dict[str, pd.Series]:
        """The identity columns of one block of ``n_rows`` rows starting at row ``start``."""
        out: dict[str, pd.Series] = {}
        for spec in self.specs:
            missing = None
            if spec.missing_share > 0:
                draw = stream(seed, _IDENTITY, spec.position, 2).random(n_rows)
                missing = draw < spec.missing_share
            if spec.role == "pii":
                out[spec.name] = self._pii(spec, seed, n_rows, missing)
            else:
                out[spec.name] = self._ids(spec, seed, n_rows, start, missing)
        return out

    def _pii(
        self,
        spec: _Spec,
        seed: np.random.SeedSequence,
        n_rows: int,
        missing: npt.NDArray[np.bool_] | None,
    ) -> pd.Series:
        from synthcraft import pii

        chunks = [
            np.asarray(
                pii.generate(
                    str(spec.pii_kind), PII_CHUNK, stream(seed, _IDENTITY, spec.position, 3, i)
                ),
                dtype=object,
            )
            for i in range(math.ceil(n_rows / PII_CHUNK))
        ]
        values = np.concatenate(chunks)[:n_rows]
        return cast_series(text_series(values, missing), spec.dtype)

    def _ids(
        self,
        spec: _Spec,
        seed: np.random.SeedSequence,
        n_rows: int,
        start: int,
        missing: npt.NDArray[np.bool_] | None,
    ) -> pd.Series:
        style = spec.style if spec.style is not None else IdStyle("digits")
        keys = derive_keys(seed.entropy, spec.position)
        if spec.role == "key":
            counters = np.arange(start + 1, start + n_rows + 1, dtype=np.uint64)
            counters += np.uint64(spec.after)
            if style.type == "int":
                values: npt.NDArray[Any] = counters.astype(np.int64)
            elif style.type == "uuid":
                values = format_ids(style, permute(counters, keys, 2**64), keys)
            else:
                values = format_ids(style, counters, keys)
        else:
            codes = np.uint64(start) + self._groups(spec, seed, n_rows)
            domain = np.uint64(style.domain)
            pseudo = permute(codes % domain, keys, style.domain) + domain * (codes // domain)
            values = format_ids(style, pseudo, keys, pseudonyms=True)
        if values.dtype.kind in "iu":
            mask = np.zeros(n_rows, dtype=bool) if missing is None else missing
            series = pd.Series(pd.arrays.IntegerArray(values.astype(np.int64), mask), copy=False)
            return cast_series(series, spec.dtype)
        return cast_series(text_series(values, missing), spec.dtype)

    def _groups(self, spec: _Spec, seed: np.random.SeedSequence, n_rows: int) -> Any:
        """Group index of each row: sizes drawn from the multiplicities, shuffled per window."""
        sizes, counts = self.multiplicity[spec.name]
        probs = counts / counts.sum()
        length = math.ceil(n_rows / WINDOW) * WINDOW
        size_rng = stream(seed, _IDENTITY, spec.position, 0)
        drawn: list[npt.NDArray[np.int64]] = []
        total = 0
        while total < length:
            chunk = sizes[size_rng.choice(sizes.size, _SIZE_DRAWS, p=probs)]
            drawn.append(chunk)
            total += int(chunk.sum())
        group_sizes = np.concatenate(drawn)
        groups = np.repeat(np.arange(group_sizes.size, dtype=np.uint64), group_sizes)[:length]
        perm_rng = stream(seed, _IDENTITY, spec.position, 1)
        for w in range(length // WINDOW):
            window = slice(w * WINDOW, (w + 1) * WINDOW)
            groups[window] = groups[window][perm_rng.permutation(WINDOW)]
        return groups[:n_rows]


_MAX_FLOOR = 2**62


def _public_floor(n_rows: int, style: IdStyle) -> int:
    """A power of the style's base above the row count (0 for UUIDs): uses no key value."""
    if style.type == "uuid":
        return 0
    base = style.base if style.type not in ("int", "digits") else 10
    floor = int(base ** len(str(n_rows)))
    return floor if floor < _MAX_FLOOR else 0


def _key_floor(values: pd.Series, style: IdStyle) -> int:
    """A power of the style's base above every real key's number (0 for UUIDs or huge keys).

    Counting regenerated keys from it keeps them out of the real keys' range while storing only
    the real keys' order of magnitude.
    """
    values = values.dropna()
    if values.empty or style.type == "uuid":
        return 0
    if style.type == "int":
        top = int(np.abs(values.to_numpy(dtype=np.float64)).max())
        floor = 10 ** len(str(top))
    else:
        rest = values.astype("str").str.slice(len(style.prefix))
        if style.type == "digits":
            top = int(rest[rest.str.fullmatch(r"[0-9]+")].str.lstrip("0").str.len().max() or 0)
            floor = 10**top
        else:
            floor = style.base ** int(rest.str.len().max())
    return floor if floor < _MAX_FLOOR else 0
