"""Multi-table generation: tables in dependency order, child rows following their parents.

A table with a *driving* foreign key (the first one with a cardinality) gets, for every parent
row, a number of child rows drawn from the cardinality; its other foreign keys pick parent rows
uniformly (distinct ones under ``one_to_one``; other cardinalities of such keys are not used).
Tables without a driving key are *roots*, whose row counts are given. Each table
draws from its own stream, child ``i_t`` (its declared index) of the seed, so adding a table
never changes the tables declared before it. All tables are held in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import scipy.stats

from synthcraft._rng import block_seeds, blocks, seed_sequence
from synthcraft._types import ProgressCallback, Sampler, SeedLike
from synthcraft.errors import SpecError, UserInputError
from synthcraft.spec._model import Cardinality, ForeignKey, Spec, TableSpec
from synthcraft.spec._sampler import TableSampler

__all__ = ["MultiTableSampler", "child_counts"]

_DEFAULT_AT_MOST_ONE = 0.5
"""Chance that a parent gets its child under ``{one_to_one: true, min: 0}`` (no probability)."""


def child_counts(
    cardinality: Cardinality, n_parents: int, rng: np.random.Generator, *, path: str = ""
) -> np.ndarray:
    """Number of child rows for each of ``n_parents`` parent rows.

    ``one_to_one`` gives exactly one child each, or, with ``min == 0``, one with probability
    ``cardinality.probability`` when the model has that field, else 0.5 (and none otherwise).
    A distribution (a discrete scipy family) is drawn with ``rvs`` from ``rng`` and clipped to
    ``[min, max]`` (so ``poisson(3)`` with ``min: 1`` puts the mass of 0 on 1). Without a
    distribution, counts are uniform on ``[min, max]``.

    Examples
    --------
    >>> from synthcraft.spec._model import Distribution
    >>> card = Cardinality(Distribution("poisson", {"mu": 3.0}, discrete=True), min=1, max=6)
    >>> counts = child_counts(card, 1000, np.random.default_rng(0))
    >>> bool(counts.min() >= 1 and counts.max() <= 6)
    True
    """
    where = f"{path}.cardinality" if path else "cardinality"
    low, high = int(cardinality.min), cardinality.max
    if low < 0 or (high is not None and high < low):
        raise SpecError([f"{where}: needs 0 <= min <= max, got min {low}, max {high}"])
    if cardinality.one_to_one:
        if low >= 1:
            return np.ones(n_parents, dtype=np.int64)
        p = getattr(cardinality, "probability", None)
        p = _DEFAULT_AT_MOST_ONE if p is None else float(p)
        return (rng.random(n_parents) < p).astype(np.int64)
    if cardinality.distribution is None:
        if high is None:
            raise SpecError([f"{where}: give a distribution (e.g. poisson(3)) or a max"])
        return rng.integers(low, high + 1, n_parents, dtype=np.int64)
    dist = cardinality.distribution
    family = getattr(scipy.stats, dist.family, None)
    if family is None or not hasattr(family, "rvs"):
        raise SpecError([f"{where}: unknown distribution family {dist.family!r}"])
    try:
        drawn = np.asarray(family(**dist.params).rvs(size=n_parents, random_state=rng))
    except (TypeError, ValueError) as exc:
        raise SpecError([f"{where}: cannot draw from {dist.family}({exc})"]) from None
    counts = np.rint(drawn.astype(np.float64))
    return np.clip(counts, low, np.inf if high is None else high).astype(np.int64)


def _driving(table: TableSpec) -> ForeignKey | None:
    return next((fk for fk in table.foreign_keys if fk.cardinality is not None), None)


def _order(spec: Spec) -> tuple[str, ...]:
    """Tables with every referenced table first (ties in declared order); cycles refused."""
    order: list[str] = []
    pending = list(spec.tables)
    while pending:
        ready = [
            t for t in pending if all(fk.parent in order for fk in spec.tables[t].foreign_keys)
        ]
        if not ready:
            cycle = " -> ".join(pending)
            raise SpecError(
                [
                    f"tables.{pending[0]}.foreign_keys: tables {cycle} reference each other (or "
                    "themselves) in a cycle; drop one of those foreign keys"
                ]
            )
        order.extend(ready)
        pending = [t for t in pending if t not in ready]
    return tuple(order)


def _take(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """``column`` at positions ``rows``; -1 gives a missing value of the column's dtype."""
    return pd.Series(column.array.take(rows, allow_fill=True), copy=False)


class MultiTableSampler:
    """Sample every table of a spec, keys and cardinalities included.

    Parameters
    ----------
    spec : Spec
        A parsed spec (:func:`synthcraft.spec.parse`).
    models : mapping of str to Sampler, optional
        Fitted models for ``from_model`` columns and tables, by the path the spec names.

    Notes
    -----
    Child rows are their parents' rows repeated by the drawn counts, in parent order; the foreign
    key columns hold the parent's key values and every parent column ``c`` is passed to the
    child's :class:`TableSampler` as the condition ``parent.c`` (from the first foreign key to
    that parent), so formulas can use it. A ``nullable`` share on the driving key adds orphan
    rows (missing reference, missing parent columns) after the others, so the children of each
    parent still follow the cardinality; on other keys it sets that share of references missing
    (all columns of a composite key together). The whole database is held in memory.

    Examples
    --------
    >>> from synthcraft.spec._model import ColumnSpec, IdGen, TableSpec
    >>> ids = ColumnSpec("id", "tables.users.columns.id", "integer", IdGen())
    >>> spec = Spec(tables={"users": TableSpec("users", (ids,), rows=3)})
    >>> MultiTableSampler(spec).sample(seed=1)["users"]["id"].tolist()
    [1, 2, 3]
    """

    def __init__(self, spec: Spec, *, models: Mapping[str, Sampler] | None = None) -> None:
        self.spec = spec
        self.models = models
        self.order = _order(spec)
        self.roots = tuple(t for t, table in spec.tables.items() if _driving(table) is None)
        self._samplers = {t: TableSampler(spec, t, models=models) for t in spec.tables}

    def sample(
        self,
        n: int | Mapping[str, int] | None = None,
        *,
        seed: SeedLike = None,
        progress: ProgressCallback | None = None,
    ) -> dict[str, pd.DataFrame]:
        """Sample all tables.

        Parameters
        ----------
        n : int or mapping of str to int, optional
            Rows of the root tables: one count for every root, or counts by root name (roots
            left out use their spec ``rows``). Child tables follow their cardinality.
        seed : int, Generator or SeedSequence, optional
            Default: the spec's ``seed``, else a fresh one.
        progress : callable, optional
            Called as ``progress(tables_done, n_tables)`` after each table.

        Returns
        -------
        dict of str to pandas.DataFrame
            Every table, in declared order.
        """
        counts = self._root_counts(n)
        root = seed_sequence(self.spec.seed if seed is None else seed)
        index = {t: i for i, t in enumerate(self.spec.tables)}
        frames: dict[str, pd.DataFrame] = {}
        for done, name in enumerate(self.order, start=1):
            stream = np.random.SeedSequence(
                entropy=root.entropy, spawn_key=(*root.spawn_key, index[name])
            )
            frames[name] = self._sample_table(name, stream, counts.get(name), frames)
            if progress is not None:
                progress(done, len(self.order))
        return {t: frames[t] for t in self.spec.tables}

    def _root_counts(self, n: int | Mapping[str, int] | None) -> dict[str, int]:
        roots = ", ".join(self.roots)
        if n is None or isinstance(n, Mapping):
            given: Mapping[str, Any] = n or {}
            for name in given:
                if name not in self.spec.tables:
                    raise UserInputError(
                        f"unknown table {name!r} in the counts; give counts for root tables: "
                        f"{roots}"
                    )
                driving = _driving(self.spec.tables[name])
                if driving is not None:
                    raise UserInputError(
                        f"{name} is a child of {driving.parent}: its rows follow the cardinality; "
                        f"give counts for root tables: {roots}"
                    )
            wanted = {r: given.get(r, self.spec.tables[r].rows) for r in self.roots}
        else:
            wanted = {r: n for r in self.roots}
        for name, count in wanted.items():
            if count is None:
                raise UserInputError(
                    f"table {name!r} has no row count; pass one (n={{{name!r}: 1000}}, "
                    f"-n {name}=1000) or declare rows: in the spec"
                )
            if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
                raise UserInputError(
                    f"row count of {name!r} must be a whole number >= 0, got {count!r}"
                )
        return {r: int(c) for r, c in wanted.items() if c is not None}

    def _sample_table(
        self,
        name: str,
        stream: np.random.SeedSequence,
        count: int | None,
        frames: Mapping[str, pd.DataFrame],
    ) -> pd.DataFrame:
        table = self.spec.tables[name]
        rng = np.random.Generator(np.random.PCG64(stream))
        driving = _driving(table)
        links: dict[int, np.ndarray] = {}  # parent row of each row, by foreign key position
        if driving is not None:
            assert driving.cardinality is not None
            parents = len(frames[driving.parent])
            per_parent = child_counts(driving.cardinality, parents, rng, path=driving.path)
            rows = np.repeat(np.arange(parents, dtype=np.int64), per_parent)
            rows = np.concatenate([rows, np.full(_orphans(driving, len(rows)), -1, np.int64)])
            links[table.foreign_keys.index(driving)] = rows
            n_rows = len(rows)
        else:
            assert count is not None
            n_rows = count
        for i, fk in enumerate(table.foreign_keys):
            if fk is not driving:
                links[i] = _pick(fk, len(frames[fk.parent]), n_rows, rng, name)
        conditions: dict[str, pd.Series] = {}
        seen: set[str] = set()
        for i, fk in enumerate(table.foreign_keys):
            parent, rows = frames[fk.parent], links[i]
            for col, pcol in zip(fk.columns, fk.parent_columns, strict=True):
                conditions[col] = _take(parent[pcol], rows)
            if fk.parent not in seen:
                seen.add(fk.parent)
                for pcol in parent.columns:
                    conditions[f"{fk.parent}.{pcol}"] = _take(parent[pcol], rows)
        frame = pd.DataFrame(conditions, index=pd.RangeIndex(n_rows)) if conditions else None
        return self._blocks(name, stream, n_rows, frame)

    def _blocks(
        self,
        name: str,
        stream: np.random.SeedSequence,
        n_rows: int,
        conditions: pd.DataFrame | None,
    ) -> pd.DataFrame:
        """The table's rows from its TableSampler, block by block (the block contract)."""
        sampler = self._samplers[name]
        spans = list(blocks(n_rows)) or [(0, 0, 0)]
        seeds = block_seeds(stream, len(spans))
        parts = [
            sampler.sample_block(
                seeds[i],
                stop - start,
                start=start,
                conditions=None
                if conditions is None
                else conditions.iloc[start:stop].reset_index(drop=True),
            )
            for i, start, stop in spans
        ]
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def check(self, tables: Mapping[str, pd.DataFrame]) -> list[str]:
        """Problems with the keys of ``tables`` (an empty list when all hold).

        Checks that primary keys are present, non-null and unique; that every non-null foreign
        key value exists among the parent's referenced values (composite keys are null in all
        columns or none); and that each parent's number of children under the driving key lies
        within the cardinality's ``[min, max]`` (at most one under any ``one_to_one`` key).
        """
        problems: list[str] = []
        for name, table in self.spec.tables.items():
            if name not in tables:
                problems.append(f"{name}: table is missing")
                continue
            problems += _check_primary_key(name, table, tables[name])
            for fk in table.foreign_keys:
                if fk.parent in tables:
                    problems += _check_reference(
                        name, tables[name], fk, tables[fk.parent], fk is _driving(table)
                    )
        return problems


def _pick(
    fk: ForeignKey, parents: int, n_rows: int, rng: np.random.Generator, table: str
) -> np.ndarray:
    """Parent rows of a non-driving key: uniform with replacement, distinct if one_to_one.

    -1 marks a missing reference (a ``nullable`` share, or every row when the parent is empty).
    """
    if fk.cardinality is not None and fk.cardinality.one_to_one:
        if n_rows > parents:
            raise UserInputError(
                f"{table} has {n_rows} rows but its one_to_one reference to {fk.parent} has only "
                f"{parents} parent rows; give {table} at most {parents} rows"
            )
        rows = rng.permutation(parents)[:n_rows]
    elif parents:
        rows = rng.integers(0, parents, n_rows)
    else:
        rows = np.full(n_rows, -1)
    rows = rows.astype(np.int64)
    rows[rng.random(n_rows) < fk.nullable] = -1
    return rows


def _orphans(fk: ForeignKey, n_linked: int) -> int:
    """Rows with a missing driving reference, so that they are ``fk.nullable`` of the table."""
    share = float(fk.nullable)
    if not 0.0 <= share < 1.0:
        raise SpecError([f"{fk.path}.nullable: must be in [0, 1), got {share}"])
    return int(np.floor(n_linked * share / (1.0 - share) + 0.5))


def _check_primary_key(name: str, table: TableSpec, frame: pd.DataFrame) -> list[str]:
    key = list(table.primary_key)
    if not key:
        return []
    absent = [c for c in key if c not in frame.columns]
    if absent:
        return [f"{name}: primary key column(s) {', '.join(absent)} missing"]
    problems = []
    nulls = int(frame[key].isna().any(axis=1).sum())
    if nulls:
        problems.append(f"{name}: {nulls} rows have a missing primary key ({', '.join(key)})")
    dups = int(frame[key].duplicated().sum())
    if dups:
        problems.append(f"{name}: {dups} rows repeat a primary key ({', '.join(key)})")
    return problems


def _check_reference(
    name: str, frame: pd.DataFrame, fk: ForeignKey, parent: pd.DataFrame, driving: bool
) -> list[str]:
    cols, pcols = list(fk.columns), list(fk.parent_columns)
    shown = f"{name}({', '.join(cols)}) -> {fk.parent}({', '.join(pcols)})"
    absent = [c for c in cols if c not in frame.columns] + [
        f"{fk.parent}.{c}" for c in pcols if c not in parent.columns
    ]
    if absent:
        return [f"{shown}: column(s) {', '.join(absent)} missing"]
    problems = []
    missing = frame[cols].isna()
    partial = int((missing.any(axis=1) & ~missing.all(axis=1)).sum())
    if partial:
        problems.append(f"{shown}: {partial} rows have a partly missing reference")
    present = frame.loc[~missing.any(axis=1).to_numpy(), cols].set_axis(pcols, axis=1)
    child_keys = pd.MultiIndex.from_frame(present)
    parent_keys = pd.MultiIndex.from_frame(parent[pcols])
    dangling = ~child_keys.isin(parent_keys)
    if dangling.any():
        i = int(np.flatnonzero(dangling)[0])
        values = [present[c].iloc[i : i + 1].tolist()[0] for c in pcols]
        example = values[0] if len(values) == 1 else tuple(values)
        problems.append(
            f"{shown}: {int(dangling.sum())} references have no parent row, e.g. {example}"
        )
    card = fk.cardinality
    if card is not None and (driving or card.one_to_one) and parent_keys.is_unique:
        codes = parent_keys.get_indexer(child_keys)
        per_parent = np.bincount(codes[codes >= 0], minlength=len(parent_keys))
        high = 1 if card.one_to_one else card.max
        low = (min(card.min, 1) if card.one_to_one else card.min) if driving else 0
        below = int((per_parent < low).sum())
        above = 0 if high is None else int((per_parent > high).sum())
        if below:
            problems.append(f"{shown}: {below} parent rows have fewer than {low} children")
        if above:
            problems.append(f"{shown}: {above} parent rows have more than {high} children")
    return problems
