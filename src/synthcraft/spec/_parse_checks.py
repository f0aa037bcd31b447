"""Checks across the columns of one table: ``by`` cases, ``from`` sources, cycles, correlations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from synthcraft._config import Problems, at, did_you_mean, join
from synthcraft.errors import SpecError
from synthcraft.spec._formula import formula_order, parse_formula
from synthcraft.spec._model import (
    BooleanGen,
    ByGen,
    CategoricalGen,
    ColumnSpec,
    ConstantGen,
    Correlation,
    DatetimeGen,
    DistributionGen,
    FormulaGen,
    ModelGen,
    PiiGen,
)
from synthcraft.spec._parse_generators import NAME_KINDS, TableContext
from synthcraft.spec._parse_keys import names_of, unknown_name

__all__ = ["check_columns", "parse_correlations"]

_CORRELATABLE = (DistributionGen, CategoricalGen, BooleanGen, DatetimeGen)


def parse_correlations(
    problems: Problems,
    value: Any,
    path: str,
    columns: Mapping[str, ColumnSpec],
    *,
    known: frozenset[str] | None,
) -> tuple[Correlation, ...]:
    """Correlation blocks: known, distinct, copula-ready columns and a valid matrix."""
    items = problems.sequence(value, path)
    if items is None:
        return ()
    blocks: list[Correlation] = []
    used: dict[str, str] = {}
    for i, item in enumerate(items):
        bpath = at(path, i)
        raw = problems.mapping(item, bpath)
        if raw is None or not problems.check_keys(raw, ("columns", "matrix", "rho"), bpath):
            continue
        names = names_of(problems, problems.required(raw, "columns", bpath), join(bpath, "columns"))
        if names is None:
            continue
        ok = len(names) >= 2
        if not ok:
            problems.add(join(bpath, "columns"), "name at least 2 columns")
        for name in names:
            column = columns.get(name)
            if column is None:
                if unknown_name(name, known):
                    problems.add(
                        join(bpath, "columns"),
                        f"unknown column {name!r}{did_you_mean(name, columns)}",
                    )
                ok = False
            elif not isinstance(column.generator, _CORRELATABLE):
                problems.add(
                    join(bpath, "columns"),
                    f"{name!r} cannot be correlated; use distribution, categories, boolean or"
                    " datetime columns (formulas carry their own dependence)",
                )
                ok = False
            elif name in used:
                problems.add(join(bpath, "columns"), f"{name!r} is already in {used[name]}")
                ok = False
            else:
                used[name] = bpath
        matrix = _matrix(problems, raw, bpath, len(names))
        if ok and matrix is not None:
            blocks.append(Correlation(columns=names, matrix=matrix))
    return tuple(blocks)


def _matrix(
    problems: Problems, raw: Mapping[str, Any], path: str, size: int
) -> tuple[tuple[float, ...], ...] | None:
    if ("matrix" in raw) == ("rho" in raw):
        problems.add(path, "give either matrix or rho")
        return None
    if "rho" in raw:
        if size != 2:
            problems.add(join(path, "rho"), "applies to 2 columns; use matrix for more")
            return None
        rho = problems.number(raw["rho"], join(path, "rho"), low=-1, high=1)
        return None if rho is None else ((1.0, float(rho)), (float(rho), 1.0))
    mpath = join(path, "matrix")
    rows = problems.sequence(raw["matrix"], mpath, length=size)
    if rows is None:
        return None
    values: list[list[float]] = []
    for r, row in enumerate(rows):
        items = problems.sequence(row, at(mpath, r), length=size)
        if items is None:
            return None
        numbers = [
            problems.number(x, f"{mpath}[{r}][{c}]", low=-1, high=1) for c, x in enumerate(items)
        ]
        if any(x is None for x in numbers):
            return None
        values.append([float(x) for x in numbers if x is not None])
    array = np.array(values)
    if not np.allclose(np.diag(array), 1.0, atol=1e-12, rtol=0):
        problems.add(mpath, "the diagonal must be all 1")
    elif not np.allclose(array, array.T, atol=1e-9, rtol=0):
        problems.add(mpath, "must be symmetric (entry [i][j] equals [j][i])")
    elif float(np.linalg.eigvalsh(array).min()) < -1e-9:
        problems.add(
            mpath,
            "not a valid correlation matrix (not positive semi-definite); weaken the correlations",
        )
    else:
        return tuple(tuple(row) for row in values)
    return None


def check_columns(
    problems: Problems,
    ctx: TableContext,
    columns: dict[str, ColumnSpec],
    path: str,
    *,
    known: frozenset[str] | None,
) -> None:
    """``by`` cases against their column's values, ``from`` sources, conditions, cycles."""
    for name, column in list(columns.items()):
        gen = column.generator
        if isinstance(gen, ByGen):
            resolved = _by_cases(problems, gen, column, columns, known=known)
            if resolved is not None:
                columns[name] = replace(column, generator=resolved)
        elif isinstance(gen, PiiGen) and gen.source is not None:
            source = columns.get(gen.source)
            fpath = join(column.path, "from")
            if source is None and unknown_name(gen.source, known):
                problems.add(
                    fpath, f"unknown column {gen.source!r}{did_you_mean(gen.source, columns)}"
                )
            elif source is not None and not (
                isinstance(source.generator, PiiGen) and source.generator.kind in NAME_KINDS
            ):
                problems.add(
                    fpath, f"{gen.source!r} must be a pii column of kind {', '.join(NAME_KINDS)}"
                )
        elif isinstance(gen, ModelGen):
            for condition in gen.conditions:
                if condition not in columns and unknown_name(condition, known):
                    hint = did_you_mean(condition, columns)
                    problems.add(
                        join(column.path, "conditions"), f"unknown column {condition!r}{hint}"
                    )
    for column in columns.values():
        for fpath, text in _formulas(column):
            _check_text_literals(problems, fpath, text, columns)
    for marker, owner in ctx.markers.items():
        if marker in columns:
            problems.add(
                join(join(path, owner), "outliers.marker"), f"{marker!r} is already a column"
            )
    graph = {
        name: [i for i in inputs if i in columns]
        for name, inputs in ctx.inputs.items()
        if name in columns
    }
    try:
        formula_order(graph, path=path)
    except SpecError as exc:
        problems.extend(exc.problems)


def _formulas(column: ColumnSpec) -> list[tuple[str, str]]:
    """The (path, text) of every formula of ``column``: its generator, cases and missing rate."""
    found: list[tuple[str, str]] = []
    gen = column.generator
    if isinstance(gen, FormulaGen):
        found.append((join(column.path, "formula"), gen.expression))
    elif isinstance(gen, ByGen):
        cases = [(join(join(column.path, "cases"), str(k)), g) for k, g in gen.cases]
        if gen.default is not None:
            cases.append((join(column.path, "default"), gen.default))
        found += [(join(p, "formula"), g.expression) for p, g in cases if isinstance(g, FormulaGen)]
    if column.missing is not None and column.missing.formula is not None:
        found.append((join(join(column.path, "missing"), "formula"), column.missing.formula))
    return found


def _check_text_literals(
    problems: Problems, path: str, text: str, columns: Mapping[str, ColumnSpec]
) -> None:
    """``seg == "x"`` must name a category of ``seg``; a number column never equals text."""
    try:
        indicators = parse_formula(text, path=path).indicators
    except SpecError:
        return  # reported where the formula was parsed
    for indicator in indicators:
        source = columns.get(indicator.column)
        if source is None:
            continue
        gen = source.generator
        if isinstance(gen, CategoricalGen):
            shown = [str(v) for v in gen.values]
            for value in indicator.values:
                if any(type(v) is type(value) and v == value for v in gen.values):
                    continue
                if str(value) in shown:
                    hint = f"; its values are not text, so write {indicator.column} == {value}"
                else:
                    hint = (
                        did_you_mean(str(value), shown) or f"; its values: {', '.join(shown[:10])}"
                    )
                problems.add(path, f"{value!r} is not a category of {indicator.column}{hint}")
        elif source.dtype not in ("categorical", "string"):
            text_values = [v for v in indicator.values if isinstance(v, str)]
            if text_values:
                problems.add(
                    path,
                    f"{indicator.column!r} holds {source.dtype} values, never the text "
                    f"{text_values[0]!r}; compare it with a number instead",
                )


def _by_values(column: ColumnSpec) -> tuple[Any, ...] | None:
    if isinstance(column.generator, CategoricalGen):
        return column.generator.values
    if isinstance(column.generator, ConstantGen) and column.generator.value is not None:
        return (column.generator.value,)
    if column.dtype == "boolean":
        return (True, False)
    return None


def _matches(key: str, value: Any) -> bool:
    if isinstance(value, str):
        return key == value
    if isinstance(value, bool):
        return key in (("true", "True") if value else ("false", "False"))
    return key == str(value) or _float_key(key) == value


def _float_key(key: str) -> float | None:
    try:
        return float(key)
    except ValueError:
        return None


def _by_cases(
    problems: Problems,
    gen: ByGen,
    column: ColumnSpec,
    columns: Mapping[str, ColumnSpec],
    *,
    known: frozenset[str] | None,
) -> ByGen | None:
    bpath = join(column.path, "by")
    cpath = join(column.path, "cases")
    source = columns.get(gen.column)
    if source is None:
        if unknown_name(gen.column, known):
            problems.add(bpath, f"unknown column {gen.column!r}{did_you_mean(gen.column, columns)}")
        return None
    values = _by_values(source)
    if values is None:
        problems.add(
            bpath, f"{gen.column!r} must be a categories or boolean column, not {source.dtype}"
        )
        return None
    cases = []
    covered: set[int] = set()
    for key, case in gen.cases:
        found = [i for i, value in enumerate(values) if _matches(str(key), value)]
        if not found:
            shown = [str(v) for v in values]
            hint = did_you_mean(key, shown) or f"; its values: {', '.join(shown[:10])}"
            problems.add(join(cpath, key), f"{key!r} is not a value of {gen.column}{hint}")
            return None
        covered.add(found[0])
        cases.append((values[found[0]], case))
    left = [values[i] for i in range(len(values)) if i not in covered]
    if left and gen.default is None:
        listed = ", ".join(repr(v) for v in left[:5])
        problems.add(cpath, f"no case for {listed} of {gen.column}; add cases or a default")
        return None
    return replace(gen, cases=tuple(cases))
