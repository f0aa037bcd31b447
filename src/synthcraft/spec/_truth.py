"""The known truth of a spec: every formula, its noise terms and its partial derivatives."""

from __future__ import annotations

from typing import Any

from synthcraft.spec._formula import parse_formula
from synthcraft.spec._model import ByGen, ColumnSpec, FormulaGen, Generator, Spec

__all__ = ["formula_truth"]


def _formulas(column: ColumnSpec) -> list[tuple[str, str]]:
    """``(case label, expression)`` of each formula that makes the column."""

    def walk(gen: Generator, label: str) -> list[tuple[str, str]]:
        if isinstance(gen, FormulaGen):
            return [(label, gen.expression)]
        if isinstance(gen, ByGen):
            found = []
            for value, case in gen.cases:
                found += walk(case, f"{gen.column} == {value!r}")
            if gen.default is not None:
                found += walk(gen.default, f"{gen.column} has no case")
            return found
        return []

    return walk(column.generator, "")


def formula_truth(spec: Spec) -> dict[str, Any]:
    """Per table, per formula column: expression, LaTeX, inputs, noise and derivatives.

    Examples
    --------
    >>> from synthcraft.spec import parse
    >>> spec = parse({"spec_version": "1.0", "tables": {"t": {"columns": {
    ...     "age": {"distribution": "normal(40, 10)"},
    ...     "income": {"formula": "1200 + 45*age + normal(0, 300)"}}}}})
    >>> formula_truth(spec)["t"]["income"]["derivatives"]
    {'age': '45'}
    """
    tables: dict[str, Any] = {}
    for table in spec.tables.values():
        columns: dict[str, Any] = {}
        for column in table.columns:
            found = _formulas(column)
            if not found:
                continue
            truths = []
            for label, text in found:
                truth = parse_formula(text, path=column.path).truth()
                truths.append({"when": label, **truth} if label else truth)
            columns[column.name] = truths[0] if len(truths) == 1 else {"cases": truths}
        if columns:
            tables[table.name] = columns
    return tables
