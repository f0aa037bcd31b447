"""Tests of the spec JSON Schema: committed file, validity, agreement with the parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from synthcraft import pii
from synthcraft.spec._parse import load, parse
from synthcraft.spec._schema import json_schema, schema_text

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs" / "spec.schema.json"

SPEC = """\
spec_version: "1.0"
locale: de_DE
seed: 3
tables:
  customers:
    rows: 100
    primary_key: customer_id
    columns:
      customer_id: {type: id, start: 100, step: 2}
      invoice_no: {type: id, format: "INV-{n:06d}"}
      token: {type: uuid}
      age: {distribution: {family: normal, loc: 40, scale: 12}, truncate: [18, null], type: integer}
      height: {distribution: "normal(170, 10)", decimals: 1}
      segment: {categories: {retail: 6, business: 3, public: 1}}
      tier: {categories: [[gold, 1], [silver, 3]]}
      rating: {categories: [1, 2, 3]}
      vip: {type: boolean, p: 0.1}
      signup:
        type: datetime
        start: 2020-01-01
        end: 2024-12-31T23:59:59
        timezone: Europe/Berlin
        weekdays: business
        hours: [0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 1, 0, 0, 0, 0]
        distribution: "expon(scale=200)"
        unit: ms
      country: {value: DE}
      nothing: {value: null, type: float}
      name: {pii: full_name}
      email: {pii: email, from: name, unique: true, missing: {rate: 0.1}}
      phone: {pii: phone, locale: en_GB, missing: {formula: "0.05 + 0.3*(age > 60)"}}
      income: {formula: "1200 + 45*age + normal(0, 300)", decimals: 2}
      churn: {formula: "sigmoid(0.03*age - 2) > uniform()"}
      spend:
        by: segment
        cases:
          retail: {distribution: "lognorm(0.5, scale=50)"}
          business: {distribution: "lognorm(0.7, scale=400)", truncate: [0, 10000]}
        default: {value: 0}
      score: {from_model: scores.synth, column: score, conditions: [age], type: float}
      amount:
        distribution: "gamma(2, scale=30)"
        outliers: {rate: 0.01, factor: 10, marker: amount_is_outlier}
    correlations:
      - columns: [age, segment, signup]
        matrix: [[1, 0.5, 0.2], [0.5, 1, 0.0], [0.2, 0.0, 1]]
      - {columns: [height, amount], rho: 0.4}
  orders:
    primary_key: order_id
    foreign_keys:
      - columns: customer_id
        references: customers.customer_id
        cardinality: {distribution: "poisson(3)", min: 1, max: 10}
        nullable: 0.05
    columns:
      order_id: {type: id, format: "ORD-{n:08d}"}
      customer_id: {type: reference}
      total: {formula: "10 + 2*customers.vip + gamma(2, 15)"}
  profiles:
    foreign_keys:
      - {columns: [customer_id], references: {table: customers}, cardinality: one_to_one}
    columns:
      bio: {pii: city}
  model_table:
    from_model: customers.synth
    columns:
      risk: {formula: "0.1*age + normal(0, 1)"}
"""


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_file_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        'docs/spec.schema.json is out of date; regenerate it with: python -c "from'
        " synthcraft.spec._schema import schema_text; open('docs/spec.schema.json', 'w')"
        '.write(schema_text())"'
    )


def test_schema_is_draft_2020_12_with_completion_enums() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    families = schema["$defs"]["distribution"]["anyOf"][1]["properties"]["family"]["enum"]
    assert {"norm", "normal", "poisson", "lognormal", "weibull_min", "student_t"} <= set(families)
    column_branches = {b["title"]: b for b in schema["$defs"]["column"]["anyOf"]}
    assert column_branches["pii"]["properties"]["pii"]["enum"] == list(pii.list_kinds())
    assert column_branches["pii"]["properties"]["locale"]["enum"] == list(pii.LOCALES)
    assert column_branches["distribution"]["additionalProperties"] is False
    assert column_branches["datetime"]["properties"]["type"] == {"const": "datetime"}
    assert all(
        "description" in prop
        for prop in column_branches["id"]["properties"].values()
        if "const" not in prop
    )


def test_full_example_spec_validates(validator: Any) -> None:
    spec = load(SPEC)
    errors = [e.message for e in validator.iter_errors(spec.source)]
    assert errors == []


@pytest.mark.parametrize(
    "columns",
    [
        {"x": {"distribution": "poisson(3)", "missing": 0.2}},
        {
            "x": {"categories": ["a", "b"]},
            "y": {
                "by": "x",
                "cases": {"a": {"value": 1}},
                "default": {"distribution": "poisson(1)"},
            },
        },
        {"x": {"type": "datetime", "start": "2024-01-01", "end": "2024-02-01", "unit": "D"}},
        {"x": {"value": True}},
        {
            "x": {
                "distribution": {"family": "gamma", "a": 2},
                "outliers": {"rate": 0.1, "distribution": "uniform(0, 5)"},
            }
        },
    ],
)
def test_parseable_specs_validate(validator: Any, columns: dict[str, Any]) -> None:
    source = {"spec_version": "1.0", "tables": {"t": {"rows": 5, "columns": columns}}}
    spec = parse(source)
    assert [e.message for e in validator.iter_errors(spec.source)] == []


@pytest.mark.parametrize(
    "columns",
    [
        {"x": {"distributon": "normal(0, 1)"}},
        {"x": {"pii": "emial"}},
        {"x": {"distribution": {"family": "nrmal"}}},
        {"x": {"distribution": "normal(0, 1)", "p": 0.5}},
        {"x": {"type": "boolean", "p": 2}},
        {"x": {"type": "id", "format": "no field"}},
        {"x": {"categories": ["a"], "missing": 1.5}},
    ],
)
def test_schema_refuses_what_parse_refuses(validator: Any, columns: dict[str, Any]) -> None:
    source = {"spec_version": "1.0", "tables": {"t": {"rows": 5, "columns": columns}}}
    assert list(validator.iter_errors(source))


def test_schema_refuses_unknown_top_level_and_table_keys(validator: Any) -> None:
    base = {"spec_version": "1.0", "tables": {"t": {"rows": 5, "columns": {"x": {"value": 1}}}}}
    assert not list(validator.iter_errors(base))
    assert list(validator.iter_errors({**base, "tabels": {}}))
    bad_table = {
        "spec_version": "1.0",
        "tables": {"t": {"rowz": 5, "columns": {"x": {"value": 1}}}},
    }
    assert list(validator.iter_errors(bad_table))
    assert list(validator.iter_errors({"tables": base["tables"]}))
