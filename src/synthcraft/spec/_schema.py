"""JSON Schema (Draft 2020-12) of the spec surface, for editors and external validators.

The schema describes what :func:`synthcraft.spec.load` accepts, with descriptions and enums of
distribution families, PII kinds and locales so editors can complete a spec. The parser checks
more than the schema can say (parameter values, keys, cycles); the schema never refuses a spec
that parses. ``docs/spec.schema.json`` holds :func:`schema_text`.

Examples
--------
>>> schema = json_schema()
>>> schema["required"]
['spec_version', 'tables']
"""

from __future__ import annotations

import json
from typing import Any

from synthcraft import pii
from synthcraft.spec._parse_columns import (
    ALLOWED_KEYS,
    CASE_GENERATORS,
    DTYPE_TYPES,
    MODIFIERS,
    TYPE_GENERATORS,
)
from synthcraft.spec._parse_generators import FROM_KINDS, HOUR_PRESETS, WEEKDAY_PRESETS
from synthcraft.spec._parse_values import FAMILY_ALIASES, family_names

__all__ = ["json_schema", "schema_text"]

_IDENTIFIER = "^[A-Za-z_][A-Za-z0-9_]*$"
_SHORTHAND = r"^\s*[A-Za-z_][A-Za-z0-9_]*\s*(\(.*\))?\s*$"

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _names(description: str) -> Schema:
    """One column name or a list of them."""
    return {
        "description": description,
        "anyOf": [
            {"type": "string", "pattern": _IDENTIFIER},
            {"type": "array", "items": {"type": "string", "pattern": _IDENTIFIER}, "minItems": 1},
        ],
    }


def _weights(length: int, presets: dict[str, tuple[float, ...]], what: str) -> Schema:
    return {
        "description": f"{length} relative weights of the {what}, or a preset",
        "anyOf": [
            {"enum": sorted(presets)},
            {
                "type": "array",
                "items": {"type": "number", "minimum": 0},
                "minItems": length,
                "maxItems": length,
            },
        ],
    }


def _properties() -> dict[str, Schema]:
    """The schema of each column key (``type`` is set per generator)."""
    scalar = {"type": ["string", "number", "boolean"]}
    return {
        "distribution": _ref("distribution"),
        "truncate": {
            "description": "[low, high] bounds of the values; either may be null",
            "type": "array",
            "items": {"type": ["number", "null"]},
            "minItems": 2,
            "maxItems": 2,
        },
        "decimals": {
            "description": "round float values to this many decimals",
            "type": "integer",
            "minimum": 0,
            "maximum": 15,
        },
        "categories": {
            "description": "{value: weight}, [[value, weight], ...] or [value, ...] (same weight)",
            "anyOf": [
                {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
                {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "prefixItems": [scalar, {"type": "number", "minimum": 0}],
                        "minItems": 2,
                        "maxItems": 2,
                    },
                    "minItems": 1,
                },
                {"type": "array", "items": scalar, "minItems": 1},
            ],
        },
        "value": {
            "description": "the same value in every row",
            "type": ["string", "number", "boolean", "null"],
        },
        "pii": {
            "description": "kind of fake personal data (synthcraft list pii)",
            "enum": list(pii.list_kinds()),
        },
        "locale": {"description": "locale of the fake values", "enum": list(pii.LOCALES)},
        "from": {
            "description": f"full_name column the values match ({', '.join(FROM_KINDS)} only)",
            "type": "string",
            "pattern": _IDENTIFIER,
        },
        "formula": {
            "description": "expression of other columns plus noise, e.g. '1200 + 45*age + "
            "normal(0, 300)'; a comparison at the top makes a boolean column",
            "type": "string",
        },
        "by": {
            "description": "categorical or boolean column whose value chooses the case",
            "type": "string",
            "pattern": _IDENTIFIER,
        },
        "cases": {
            "description": "generator per value of the by column",
            "type": "object",
            "additionalProperties": _ref("case"),
        },
        "default": {**_ref("case"), "description": "generator for values without a case"},
        "from_model": {
            "description": "fitted model file (.synth) to take the column from",
            "type": "string",
        },
        "column": {
            "description": "the model's column (default: this column's name)",
            "type": "string",
        },
        "conditions": {
            "description": "declared columns passed to the model as conditions",
            "type": "array",
            "items": {"type": "string", "pattern": _IDENTIFIER},
        },
        "p": {"description": "probability of true", "type": "number", "minimum": 0, "maximum": 1},
        "start": {
            "description": "id: first value (integer); datetime: first instant (ISO date/time)",
            "type": ["integer", "string"],
        },
        "step": {"description": "id increment (not 0)", "type": "integer"},
        "format": {
            "description": "id text with one {n}, {n:0Wd} or {n:Wd} field, e.g. 'INV-{n:06d}'",
            "type": "string",
            "pattern": r"\{n(:0?[1-9][0-9]?d?|:d)?\}",
        },
        "end": {"description": "last instant (ISO date or date-time)", "type": "string"},
        "timezone": {"description": "IANA time zone, e.g. Europe/Berlin", "type": "string"},
        "weekdays": _weights(7, WEEKDAY_PRESETS, "days Monday..Sunday"),
        "hours": _weights(24, HOUR_PRESETS, "hours of the day"),
        "unit": {
            "description": "resolution: D (dates), s, ms or us",
            "enum": ["D", "s", "ms", "us"],
        },
        "missing": {
            "description": "share of missing values, or {formula: ...} for a rate per row",
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {
                    "type": "object",
                    "properties": {
                        "rate": {"type": "number", "minimum": 0, "maximum": 1},
                        "formula": {"type": "string"},
                    },
                    "additionalProperties": False,
                    "minProperties": 1,
                    "maxProperties": 1,
                },
            ],
        },
        "outliers": {
            "description": "share of rows replaced by outliers (value * factor, or a distribution)",
            "type": "object",
            "properties": {
                "rate": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
                "factor": {"type": "number"},
                "distribution": _ref("distribution"),
                "marker": {
                    "description": "boolean column marking the outliers",
                    "type": "string",
                    "pattern": _IDENTIFIER,
                },
            },
            "required": ["rate"],
            "additionalProperties": False,
        },
        "unique": {
            "description": "values never repeat (id, uuid and pii columns)",
            "type": "boolean",
        },
    }


def _branch(kind: str, *, case: bool) -> Schema:
    """Schema of a column (or case) whose generator is ``kind``."""
    props = _properties()
    keys = list(ALLOWED_KEYS[kind]) + ([] if case else list(MODIFIERS))
    properties = {key: props[key] for key in keys if key != "type"}
    required = [] if kind in TYPE_GENERATORS else [kind]
    if kind in TYPE_GENERATORS:
        properties["type"] = {"const": kind}
        required = ["type"]
    elif "type" in keys:
        properties["type"] = {"description": "output type", "enum": list(DTYPE_TYPES[kind])}
    if kind == "datetime":
        required += ["start", "end"]
        properties["start"] = {
            "description": "first instant (ISO date or date-time)",
            "type": "string",
        }
    if kind == "id":
        properties["start"] = {"description": "first value", "type": "integer"}
    return {
        "title": kind,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a synthcraft spec.

    Returns
    -------
    dict
        JSON-ready schema with ``description``s and enums (families, PII kinds, locales).
    """
    families = sorted({*family_names(), *FAMILY_ALIASES})
    distribution = {
        "description": "a scipy.stats family: 'normal(40, 12)' (shapes, then loc, scale) or "
        "{family: normal, loc: 40, scale: 12}; for a column, also {family: histogram, edges, "
        "weights}",
        "anyOf": [
            {"type": "string", "pattern": _SHORTHAND},
            {
                "type": "object",
                "properties": {"family": {"enum": families}},
                "required": ["family"],
                "additionalProperties": {"type": "number"},
            },
            {
                "type": "object",
                "description": "k bins between k + 1 non-decreasing edges, uniform inside; equal "
                "edges make a point mass; weights >= 0 are normalised",
                "properties": {
                    "family": {"const": "histogram"},
                    "edges": {"type": "array", "items": {"type": "number"}, "minItems": 2},
                    "weights": {
                        "type": "array",
                        "items": {"type": "number", "minimum": 0},
                        "minItems": 1,
                    },
                },
                "required": ["family", "edges", "weights"],
                "additionalProperties": False,
            },
        ],
    }
    cardinality = {
        "description": "child rows per parent: 'poisson(3)', one_to_one, {distribution, min, max}"
        " or {one_to_one: true, min: 0}",
        "anyOf": [
            {"type": "string", "pattern": _SHORTHAND},
            {
                "type": "object",
                "properties": {
                    "distribution": _ref("distribution"),
                    "min": {"type": "integer", "minimum": 0},
                    "max": {"type": ["integer", "null"], "minimum": 1},
                    "one_to_one": {"type": "boolean"},
                    "probability": {
                        "type": "number",
                        "minimum": 0,
                        "maximum": 1,
                        "description": "with one_to_one and min 0: chance of a child (0.5)",
                    },
                },
                "additionalProperties": False,
            },
        ],
    }
    foreign_key = {
        "type": "object",
        "properties": {
            "columns": _names("this table's key columns"),
            "references": {
                "description": "parent.column, or {table, columns}",
                "anyOf": [
                    {
                        "type": "string",
                        "pattern": r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$",
                    },
                    {
                        "type": "object",
                        "properties": {
                            "table": {"type": "string", "pattern": _IDENTIFIER},
                            "columns": _names("the parent's primary key columns"),
                        },
                        "required": ["table"],
                        "additionalProperties": False,
                    },
                ],
            },
            "cardinality": _ref("cardinality"),
            "nullable": {
                "description": "share of rows with a missing reference",
                "type": "number",
                "minimum": 0,
                "exclusiveMaximum": 1,
            },
        },
        "required": ["columns", "references"],
        "additionalProperties": False,
    }
    correlation = {
        "description": "Spearman correlations of columns (Gaussian copula)",
        "type": "object",
        "properties": {
            "columns": {
                "type": "array",
                "items": {"type": "string", "pattern": _IDENTIFIER},
                "minItems": 2,
            },
            "matrix": {
                "type": "array",
                "items": {
                    "type": "array",
                    "items": {"type": "number", "minimum": -1, "maximum": 1},
                },
            },
            "rho": {"type": "number", "minimum": -1, "maximum": 1},
        },
        "required": ["columns"],
        "additionalProperties": False,
    }
    table = {
        "type": "object",
        "properties": {
            "rows": {
                "description": "default row count of a root table (not for child tables)",
                "type": ["integer", "null"],
                "minimum": 0,
            },
            "primary_key": _names("primary key column(s)"),
            "foreign_keys": {"type": "array", "items": _ref("foreign_key")},
            "columns": {
                "type": "object",
                "propertyNames": {"pattern": _IDENTIFIER},
                "additionalProperties": _ref("column"),
            },
            "correlations": {"type": "array", "items": _ref("correlation")},
            "from_model": {
                "description": "fitted model file giving the table's columns",
                "type": "string",
            },
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "synthcraft spec",
        "description": "Declared synthetic data: tables, columns, keys and relations",
        "type": "object",
        "properties": {
            "spec_version": {
                "description": "spec format version, '1.0'",
                "type": ["string", "number"],
            },
            "locale": {"description": "default locale of pii columns", "enum": list(pii.LOCALES)},
            "seed": {"description": "default seed", "type": ["integer", "null"], "minimum": 0},
            "tables": {
                "type": "object",
                "propertyNames": {"pattern": _IDENTIFIER},
                "additionalProperties": _ref("table"),
                "minProperties": 1,
            },
        },
        "required": ["spec_version", "tables"],
        "additionalProperties": False,
        "$defs": {
            "distribution": distribution,
            "cardinality": cardinality,
            "column": {"anyOf": [_branch(kind, case=False) for kind in ALLOWED_KEYS]},
            "case": {"anyOf": [_branch(kind, case=True) for kind in CASE_GENERATORS]},
            "foreign_key": foreign_key,
            "correlation": correlation,
            "table": table,
        },
    }


def schema_text() -> str:
    """:func:`json_schema` as the text of ``docs/spec.schema.json`` (indent 2, sorted keys)."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
