"""Keys across tables: foreign keys, cardinalities, primary keys and table cycles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from synthcraft._config import Problems, at, did_you_mean, join
from synthcraft.spec._model import (
    Cardinality,
    ColumnSpec,
    Dtype,
    ForeignKey,
    IdGen,
    PiiGen,
    UuidGen,
)
from synthcraft.spec._parse_values import parse_distribution

__all__ = [
    "ForeignKeyDraft",
    "check_primary_key",
    "names_of",
    "parse_foreign_key",
    "reference_dtype",
    "resolve_foreign_keys",
    "table_cycles",
    "unknown_name",
]


@dataclass
class ForeignKeyDraft:
    """A foreign key as declared, before its parent table is checked."""

    columns: tuple[str, ...]
    parent: str
    parent_columns: tuple[str, ...] | None
    cardinality: Cardinality | None
    nullable: float
    path: str
    notes: list[str] = field(default_factory=list)


def names_of(problems: Problems, value: Any, path: str) -> tuple[str, ...] | None:
    """One identifier or a non-empty list of distinct identifiers."""
    items = [value] if isinstance(value, str) else problems.sequence(value, path)
    if items is None:
        return None
    if not items:
        problems.add(path, "must name at least one column")
        return None
    names = [
        problems.identifier(item, at(path, i) if len(items) > 1 else path)
        for i, item in enumerate(items)
    ]
    if any(name is None for name in names):
        return None
    if len(set(names)) != len(names):
        problems.add(path, "names a column twice")
        return None
    return tuple(name for name in names if name is not None)


def _cardinality(problems: Problems, value: Any, path: str) -> Cardinality | None:
    """``"poisson(3)"``, ``one_to_one``, ``{distribution, min, max}`` or ``{one_to_one, min}``."""
    if value == "one_to_one":
        return Cardinality(one_to_one=True, min=1, max=1)
    if isinstance(value, str):
        dist = parse_distribution(problems, value, path, discrete_only=True)
        return None if dist is None else Cardinality(distribution=dist)
    raw = problems.mapping(value, path)
    if raw is None or not problems.check_keys(
        raw, ("distribution", "min", "max", "one_to_one", "probability"), path
    ):
        return None
    if ("distribution" in raw) == bool(raw.get("one_to_one")):
        problems.add(path, "give either distribution or one_to_one: true")
        return None
    if "distribution" in raw and "probability" in raw:
        problems.add(join(path, "probability"), "applies only to {one_to_one: true, min: 0}")
        return None
    if (
        "one_to_one" in raw
        and problems.boolean(raw["one_to_one"], join(path, "one_to_one")) is None
    ):
        return None
    low = problems.number(raw.get("min", 0), join(path, "min"), low=0, integer=True)
    if "distribution" not in raw:
        if "max" in raw:
            problems.add(join(path, "max"), "does not apply to one_to_one (always at most 1)")
            return None
        low = problems.number(raw.get("min", 1), join(path, "min"), low=0, high=1, integer=True)
        chance = None
        if raw.get("probability") is not None:
            chance = problems.number(raw["probability"], join(path, "probability"), low=0, high=1)
            if chance is None:
                return None
            if low != 0:
                problems.add(join(path, "probability"), "needs min: 0 (at most one child)")
                return None
        if low is None:
            return None
        return Cardinality(one_to_one=True, min=int(low), max=1, probability=chance)
    dist = parse_distribution(
        problems, raw["distribution"], join(path, "distribution"), discrete_only=True
    )
    high = None
    if raw.get("max") is not None:
        high = problems.number(
            raw["max"], join(path, "max"), low=max(1, int(low or 0)), integer=True
        )
        if high is None:
            return None
    if dist is None or low is None:
        return None
    return Cardinality(distribution=dist, min=int(low), max=None if high is None else int(high))


def parse_foreign_key(problems: Problems, value: Any, path: str) -> ForeignKeyDraft | None:
    """A foreign key mapping: ``columns``, ``references``, ``cardinality``, ``nullable``."""
    raw = problems.mapping(value, path)
    if raw is None:
        return None
    start = len(problems)
    problems.check_keys(raw, ("columns", "references", "cardinality", "nullable"), path)
    columns = names_of(problems, problems.required(raw, "columns", path), join(path, "columns"))
    ref = problems.required(raw, "references", path)
    rpath = join(path, "references")
    parent: str | None = None
    parent_columns: tuple[str, ...] | None = None
    if isinstance(ref, str):
        table, _, column = ref.partition(".")
        parent = problems.identifier(table, rpath)
        if column:
            parent_columns = names_of(problems, column, rpath)
    elif ref is not None:
        ref_map = problems.mapping(ref, rpath)
        if ref_map is not None and problems.check_keys(ref_map, ("table", "columns"), rpath):
            parent = problems.identifier(
                problems.required(ref_map, "table", rpath), join(rpath, "table")
            )
            if "columns" in ref_map:
                parent_columns = names_of(problems, ref_map["columns"], join(rpath, "columns"))
    cardinality = None
    if raw.get("cardinality") is not None:
        cardinality = _cardinality(problems, raw["cardinality"], join(path, "cardinality"))
    nullable = problems.number(
        raw.get("nullable", 0.0), join(path, "nullable"), low=0, high=1, high_open=True
    )
    if len(problems) > start or columns is None or parent is None or nullable is None:
        return None
    return ForeignKeyDraft(columns, parent, parent_columns, cardinality, float(nullable), path)


def resolve_foreign_keys(
    problems: Problems,
    drafts: Mapping[str, list[ForeignKeyDraft]],
    primary_keys: Mapping[str, tuple[str, ...] | None],
) -> dict[str, tuple[ForeignKey, ...]]:
    """Check each foreign key's parent table and columns; the typed keys per table."""
    result: dict[str, tuple[ForeignKey, ...]] = {}
    for table, keys in drafts.items():
        done = []
        for fk in keys:
            rpath = join(fk.path, "references")
            if fk.parent not in primary_keys:
                hint = (
                    did_you_mean(fk.parent, primary_keys) or f"; tables: {', '.join(primary_keys)}"
                )
                problems.add(rpath, f"unknown table {fk.parent!r}{hint}")
                continue
            pk = primary_keys[fk.parent]
            if pk is None:
                continue  # the parent table has its own problems
            if not pk:
                problems.add(
                    rpath, f"table {fk.parent!r} has no primary_key; declare one to reference it"
                )
                continue
            parent_columns = fk.parent_columns or pk
            if set(parent_columns) != set(pk) or len(parent_columns) != len(pk):
                shown = ", ".join(pk)
                problems.add(rpath, f"must reference the primary key of {fk.parent} ({shown})")
                continue
            if len(fk.columns) != len(parent_columns):
                problems.add(
                    join(fk.path, "columns"),
                    f"{len(fk.columns)} columns for a key of {len(pk)} ({', '.join(pk)})",
                )
                continue
            done.append(
                ForeignKey(
                    fk.columns, fk.parent, parent_columns, fk.cardinality, fk.nullable, fk.path
                )
            )
        seen: dict[str, str] = {}
        for fk_done in done:
            for column in fk_done.columns:
                if column in seen:
                    problems.add(
                        join(fk_done.path, "columns"), f"{column!r} is already in {seen[column]}"
                    )
                seen[column] = fk_done.path
        result[table] = tuple(done)
    return result


def table_cycles(problems: Problems, edges: Mapping[str, Sequence[str]]) -> None:
    """Record each cycle of tables that reference each other (a parent must come first)."""
    state: dict[str, int] = {}
    stack: list[str] = []
    reported: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for parent in edges.get(node, ()):
            if parent not in edges:
                continue
            if state.get(parent) == 1:
                cycle = [*stack[stack.index(parent) :], parent]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    shown = " -> ".join(cycle)
                    problems.add(
                        join("tables", cycle[0]),
                        f"table dependency cycle {shown}; remove one of these foreign keys",
                    )
            elif parent not in state:
                visit(parent)
        stack.pop()
        state[node] = 2

    for node in edges:
        if node not in state:
            visit(node)


def check_primary_key(
    problems: Problems,
    key: tuple[str, ...],
    path: str,
    columns: Mapping[str, ColumnSpec],
    foreign_keys: Sequence[ForeignKey],
    *,
    known: frozenset[str] | None,
) -> None:
    """The key's columns exist and together promise unique values."""
    fk_columns = {c for fk in foreign_keys for c in fk.columns}
    for name in key:
        if name not in columns and name not in fk_columns and unknown_name(name, known):
            problems.add(path, f"unknown column {name!r}{did_you_mean(name, columns)}")
            return
        if name in columns and columns[name].missing is not None:
            problems.add(
                join(columns[name].path, "missing"), "a primary key column cannot be missing"
            )
    if known is None or any(name in known and name not in columns for name in key):
        return  # a model supplies columns, or a key column has its own problem

    def unique(name: str) -> bool:
        column = columns.get(name)
        return column is not None and (
            isinstance(column.generator, IdGen | UuidGen)
            or (isinstance(column.generator, PiiGen) and column.unique)
        )

    one_to_one = [
        fk for fk in foreign_keys if fk.cardinality is not None and fk.cardinality.one_to_one
    ]
    if any(unique(name) for name in key) or any(set(fk.columns) <= set(key) for fk in one_to_one):
        return
    problems.add(
        path,
        "cannot promise unique values; include a column of type id or uuid, a pii column with"
        " unique: true, or the columns of a one_to_one foreign key",
    )


def unknown_name(name: str, known: frozenset[str] | None) -> bool:
    """True when ``name`` is surely not a column (``known`` None: a model supplies columns)."""
    return known is not None and name not in known


def reference_dtype(
    table: str,
    column: str,
    columns: Mapping[str, Mapping[str, ColumnSpec]],
    keys: Mapping[str, tuple[ForeignKey, ...]],
) -> Dtype | None:
    """Dtype of ``table.column`` following foreign keys to the column that makes the values."""
    for _ in range(len(columns) + 1):
        spec = columns.get(table, {}).get(column)
        if spec is not None and column not in {c for fk in keys.get(table, ()) for c in fk.columns}:
            return spec.dtype
        hop = next(
            ((fk, fk.columns.index(column)) for fk in keys.get(table, ()) if column in fk.columns),
            None,
        )
        if hop is None:
            return spec.dtype if spec is not None else None
        table, column = hop[0].parent, hop[0].parent_columns[hop[1]]
    return None
