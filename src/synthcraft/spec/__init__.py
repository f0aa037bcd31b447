"""Declared data: a YAML spec of distributions, formulas, fake PII, keys and relations.

:func:`load` (a file or YAML text) and :func:`parse` (a mapping) turn a spec into typed objects,
reporting every problem with its path; :class:`TableSampler` samples one table (a Sampler like
any fitted model: fixed seeded blocks, workers, streaming output); :class:`MultiTableSampler`
samples a whole database with its keys; :func:`draft` drafts a spec from a real table. The spec
part never opens model files: :mod:`synthcraft.api` resolves ``from_model``. The file format is
described in ``docs/spec.md`` and :func:`json_schema`.

Examples
--------
>>> from synthcraft.spec import TableSampler, parse
>>> spec = parse({"spec_version": "1.0", "tables": {"people": {"columns": {
...     "age": {"distribution": "normal(40, 10)", "truncate": [18, 90], "type": "integer"},
...     "income": {"formula": "1200 + 45*age + normal(0, 300)", "decimals": 2}}}}})
>>> frame = TableSampler(spec, "people").sample(1_000, seed=0)
>>> frame.columns.tolist(), str(frame["age"].dtype)
(['age', 'income'], 'Int64')
"""

from synthcraft.spec._draft import Draft, FamilyFit, draft
from synthcraft.spec._formula import Formula, formula_order, parse_formula
from synthcraft.spec._model import (
    SPEC_VERSION,
    BooleanGen,
    ByGen,
    Cardinality,
    CategoricalGen,
    ColumnSpec,
    ConstantGen,
    Correlation,
    DatetimeGen,
    Distribution,
    DistributionGen,
    Dtype,
    ForeignKey,
    FormulaGen,
    Histogram,
    IdGen,
    Missingness,
    ModelGen,
    Outliers,
    PiiGen,
    Spec,
    TableSpec,
    UuidGen,
)
from synthcraft.spec._parse import load, parse
from synthcraft.spec._relations import MultiTableSampler
from synthcraft.spec._sampler import TableSampler
from synthcraft.spec._schema import json_schema
from synthcraft.spec._truth import formula_truth

__all__ = [
    "BooleanGen",
    "ByGen",
    "Cardinality",
    "CategoricalGen",
    "ColumnSpec",
    "ConstantGen",
    "Correlation",
    "DatetimeGen",
    "Distribution",
    "DistributionGen",
    "Draft",
    "Dtype",
    "FamilyFit",
    "ForeignKey",
    "Formula",
    "FormulaGen",
    "Histogram",
    "IdGen",
    "Missingness",
    "ModelGen",
    "MultiTableSampler",
    "Outliers",
    "PiiGen",
    "SPEC_VERSION",
    "Spec",
    "TableSampler",
    "TableSpec",
    "UuidGen",
    "draft",
    "formula_order",
    "formula_truth",
    "json_schema",
    "load",
    "parse",
    "parse_formula",
]
