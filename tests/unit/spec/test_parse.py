"""Tests of spec parsing: typed objects, round trip, path-precise problems, loading."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthcraft import pii
from synthcraft.errors import SpecError, UserInputError
from synthcraft.spec._model import (
    BooleanGen,
    ByGen,
    Cardinality,
    CategoricalGen,
    ConstantGen,
    Correlation,
    DatetimeGen,
    Distribution,
    DistributionGen,
    ForeignKey,
    FormulaGen,
    IdGen,
    Missingness,
    ModelGen,
    Outliers,
    PiiGen,
    UuidGen,
)
from synthcraft.spec._parse import load, parse

FULL_SPEC = """\
spec_version: "1.0"
locale: en_US
seed: 7
tables:
  customers:
    rows: 1000
    primary_key: customer_id
    columns:
      customer_id: {type: id}
      invoice_no: {type: id, start: 1, format: "INV-{n:06d}"}
      token: {type: uuid}
      age:
        distribution: {family: normal, loc: 40, scale: 12}
        truncate: [18, 90]
        type: integer
      height: {distribution: "normal(170, 10)", decimals: 1, truncate: [null, 250]}
      segment:
        categories: {retail: 0.6, business: 0.3, public: 0.1}
      tier:
        categories: [[gold, 1], [silver, 3]]
      rating:
        categories: {1: 2, 2: 1, 3: 1}
      vip: {type: boolean, p: 0.1}
      signup:
        type: datetime
        start: 2020-01-01
        end: 2024-12-31T23:59:59
        timezone: Europe/Berlin
        weekdays: [5, 5, 5, 5, 5, 1, 1]
        hours: business
        distribution: "expon(scale=200)"
        unit: s
      country: {value: DE}
      name: {pii: full_name}
      email: {pii: email, from: name, unique: true}
      phone: {pii: phone, locale: de_DE}
      income:
        formula: "1200 + 45*age + normal(0, 300)"
        decimals: 2
      churn:
        formula: "sigmoid(0.03*age - 2) > uniform()"
      spend:
        by: segment
        cases:
          retail:   {distribution: "lognorm(0.5, scale=50)"}
          business: {distribution: "lognorm(0.7, scale=400)"}
        default: {value: 0}
      perk:
        by: vip
        cases:
          true: {categories: [lounge, upgrade]}
          false: {value: none}
      score:
        from_model: scores.synth
        column: score
        conditions: [age]
      phone2:
        pii: phone
        missing: 0.1
      phone3:
        pii: phone
        missing: {formula: "0.05 + 0.3*(age > 60)"}
      amount:
        distribution: "gamma(2, scale=30)"
        outliers: {rate: 0.01, factor: 10, marker: amount_is_outlier}
      fee:
        distribution: "poisson(3)"
        outliers: {rate: 0.02, distribution: "uniform(1000, 500)"}
    correlations:
      - columns: [age, segment, signup]
        matrix: [[1, 0.5, 0.2], [0.5, 1, 0.0], [0.2, 0.0, 1]]
      - {columns: [height, amount], rho: 0.4}
  products:
    rows: 50
    primary_key: product_id
    columns:
      product_id: {type: uuid}
      price: {distribution: "lognorm(0.5, scale=20)", decimals: 2}
  orders:
    primary_key: order_id
    foreign_keys:
      - columns: customer_id
        references: customers.customer_id
        cardinality: "poisson(3)"
        nullable: 0.05
      - columns: product_id
        references: products.product_id
    columns:
      order_id: {type: id, format: "ORD-{n:08d}"}
      product_id: {type: reference}
      total: {formula: "10 + 2*customers.vip + gamma(2, 15)"}
  profiles:
    primary_key: customer_id
    foreign_keys:
      - columns: [customer_id]
        references: {table: customers, columns: [customer_id]}
        cardinality: one_to_one
    columns:
      city: {pii: city}
  items:
    foreign_keys:
      - columns: order_id
        references: orders
        cardinality: {distribution: "poisson(2)", min: 1, max: 10}
      - columns: customer_id
        references: customers
        cardinality: {one_to_one: true, min: 0}
    columns:
      qty: {distribution: "poisson(2)", truncate: [1, null]}
  stores:
    primary_key: [region, store_no]
    rows: 20
    columns:
      region: {categories: [north, south]}
      store_no: {type: id}
  sales:
    foreign_keys:
      - {columns: [region, store_no], references: {table: stores}, cardinality: "poisson(5)"}
    columns:
      region: {type: reference}
      store_no: {type: reference}
  customer_model_table:
    from_model: customers.synth
    rows: 500
    columns:
      risk: {formula: "0.1*age + normal(0, 1)"}
"""


def spec_of(columns: dict[str, Any], **table: Any) -> dict[str, Any]:
    """A one-table spec around ``columns``."""
    return {"spec_version": "1.0", "tables": {"t": {"rows": 10, "columns": columns, **table}}}


def problems_of(source: dict[str, Any]) -> list[str]:
    """The problems parse reports for ``source``."""
    with pytest.raises(SpecError) as info:
        parse(source)
    return info.value.problems


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("spec")
    path = folder / "full.yaml"
    path.write_text(FULL_SPEC, encoding="utf-8")
    return load(path), folder


def column(spec: Any, table: str, name: str) -> Any:
    return next(c for c in spec.tables[table].columns if c.name == name)


def test_full_spec_top_level(full: Any) -> None:
    spec, _ = full
    assert spec.spec_version == "1.0"
    assert spec.locale == "en_US"
    assert spec.seed == 7
    assert list(spec.tables) == [
        "customers",
        "products",
        "orders",
        "profiles",
        "items",
        "stores",
        "sales",
        "customer_model_table",
    ]
    customers = spec.tables["customers"]
    assert customers.rows == 1000
    assert customers.primary_key == ("customer_id",)
    assert customers.path == "tables.customers"
    assert [c.name for c in customers.columns][:4] == ["customer_id", "invoice_no", "token", "age"]


def test_full_spec_columns(full: Any) -> None:
    spec, folder = full
    c = lambda name: column(spec, "customers", name)  # noqa: E731
    assert (c("customer_id").dtype, c("customer_id").generator) == ("integer", IdGen())
    assert c("customer_id").unique
    assert c("invoice_no").generator == IdGen(format="INV-{n:06d}")
    assert c("invoice_no").dtype == "string"
    assert (c("token").dtype, c("token").generator) == ("string", UuidGen())
    age = c("age")
    assert age.path == "tables.customers.columns.age"
    assert age.dtype == "integer"
    assert age.generator == DistributionGen(
        Distribution("norm", {"loc": 40.0, "scale": 12.0}), low=18.0, high=90.0
    )
    assert c("height").generator == DistributionGen(
        Distribution("norm", {"loc": 170.0, "scale": 10.0}), high=250.0, decimals=1
    )
    segment = c("segment")
    assert segment.dtype == "categorical"
    assert segment.generator.values == ("retail", "business", "public")
    assert segment.generator.weights == pytest.approx((0.6, 0.3, 0.1))
    assert c("tier").generator == CategoricalGen(("gold", "silver"), (0.25, 0.75))
    assert c("rating").dtype == "integer"
    assert c("rating").generator == CategoricalGen((1, 2, 3), (0.5, 0.25, 0.25))
    assert (c("vip").dtype, c("vip").generator) == ("boolean", BooleanGen(p=0.1))
    signup = c("signup")
    assert signup.dtype == "datetime"
    assert signup.generator == DatetimeGen(
        start=datetime(2020, 1, 1),
        end=datetime(2024, 12, 31, 23, 59, 59),
        timezone="Europe/Berlin",
        distribution=Distribution("expon", {"loc": 0.0, "scale": 200.0}),
        weekdays=(5.0, 5.0, 5.0, 5.0, 5.0, 1.0, 1.0),
        hours=tuple(1.0 if 9 <= h < 17 else 0.0 for h in range(24)),
        unit="s",
    )
    assert (c("country").dtype, c("country").generator) == ("categorical", ConstantGen("DE"))
    assert c("name").generator == PiiGen("full_name", "en_US")
    assert c("email").generator == PiiGen("email", "en_US", source="name")
    assert c("email").unique
    assert c("phone").generator == PiiGen("phone", "de_DE")
    assert c("income").generator.expression == "1200 + 45*age + normal(0, 300)"
    assert c("income").dtype == "float"
    assert (c("churn").dtype, c("churn").generator) == (
        "boolean",
        FormulaGen("sigmoid(0.03*age - 2) > uniform()"),
    )
    spend = c("spend")
    assert spend.dtype == "float"
    assert isinstance(spend.generator, ByGen)
    assert spend.generator.column == "segment"
    assert [value for value, _ in spend.generator.cases] == ["retail", "business"]
    assert spend.generator.cases[0][1].distribution == Distribution(
        "lognorm", {"s": 0.5, "loc": 0.0, "scale": 50.0}
    )
    assert spend.generator.default == ConstantGen(0)
    perk = c("perk")
    assert perk.dtype == "categorical"
    assert [value for value, _ in perk.generator.cases] == [True, False]
    score = c("score")
    assert score.dtype == "float"
    assert score.generator == ModelGen(
        path=str((folder / "scores.synth").resolve()), column="score", conditions=("age",)
    )
    assert c("phone2").missing == Missingness(rate=0.1)
    assert c("phone3").missing == Missingness(formula="0.05 + 0.3*(age > 60)")
    assert c("amount").outliers == Outliers(rate=0.01, factor=10.0, marker="amount_is_outlier")
    fee = c("fee")
    assert fee.dtype == "integer"
    assert fee.generator.distribution == Distribution("poisson", {"mu": 3.0, "loc": 0.0}, True)
    assert fee.outliers == Outliers(
        rate=0.02, distribution=Distribution("uniform", {"loc": 1000.0, "scale": 500.0})
    )
    assert spec.tables["customers"].correlations == (
        Correlation(("age", "segment", "signup"), ((1, 0.5, 0.2), (0.5, 1, 0.0), (0.2, 0.0, 1))),
        Correlation(("height", "amount"), ((1.0, 0.4), (0.4, 1.0))),
    )


def test_full_spec_keys(full: Any) -> None:
    spec, folder = full
    orders = spec.tables["orders"]
    assert orders.rows is None
    assert orders.foreign_keys == (
        ForeignKey(
            ("customer_id",),
            "customers",
            ("customer_id",),
            Cardinality(distribution=Distribution("poisson", {"mu": 3.0, "loc": 0.0}, True)),
            nullable=0.05,
            path="tables.orders.foreign_keys[0]",
        ),
        ForeignKey(
            ("product_id",), "products", ("product_id",), path="tables.orders.foreign_keys[1]"
        ),
    )
    assert [c.name for c in orders.columns] == ["order_id", "product_id", "total"]
    assert column(spec, "orders", "product_id").dtype == "string"  # the parent's uuid
    assert spec.tables["profiles"].foreign_keys[0].cardinality == Cardinality(
        min=1, max=1, one_to_one=True
    )
    items = spec.tables["items"].foreign_keys
    assert items[0].parent_columns == ("order_id",)
    assert items[0].cardinality == Cardinality(
        Distribution("poisson", {"mu": 2.0, "loc": 0.0}, True), min=1, max=10
    )
    assert items[1].cardinality == Cardinality(min=0, max=1, one_to_one=True)
    assert spec.tables["stores"].primary_key == ("region", "store_no")
    sales = spec.tables["sales"]
    assert sales.foreign_keys[0].parent_columns == ("region", "store_no")
    assert [c.dtype for c in sales.columns] == ["categorical", "integer"]
    model_table = spec.tables["customer_model_table"]
    assert model_table.from_model == str((folder / "customers.synth").resolve())
    assert model_table.rows == 500


def test_round_trip_through_source_and_json(full: Any) -> None:
    spec, _ = full
    assert parse(spec.source) == spec
    assert parse(json.loads(json.dumps(spec.source))) == spec
    assert spec.source["tables"]["customers"]["columns"]["signup"]["start"] == "2020-01-01"
    assert spec.source["tables"]["customers"]["columns"]["rating"]["categories"] == [
        [1, 2],
        [2, 1],
        [3, 1],
    ]


def test_load_from_text_keeps_relative_model_paths() -> None:
    spec = load(FULL_SPEC)
    assert column(spec, "customers", "score").generator.path == "scores.synth"


def test_load_refuses_other_suffixes_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "spec.txt"
    path.write_text(FULL_SPEC, encoding="utf-8")
    with pytest.raises(UserInputError, match=r"\.yaml, \.yml or \.json"):
        load(path)
    with pytest.raises(UserInputError, match=r"missing\.yaml"):
        load(tmp_path / "missing.yaml")


def test_load_json_file(tmp_path: Path, full: Any) -> None:
    spec, _ = full
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec.source), encoding="utf-8")
    assert load(path) == spec


def test_yaml_syntax_error_has_line_number(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("spec_version: '1.0'\ntables:\n  t:\n    columns: {x: {value: 1}\n", "utf-8")
    with pytest.raises(SpecError, match=r"bad\.yml: YAML syntax error at line \d+, column \d+"):
        load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# nothing\n", "spec: the document is empty"),
        ("- a\n- b\n", "spec: must be a mapping with spec_version and tables"),
    ],
)
def test_load_refuses_empty_and_non_mapping(text: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        load(text)


def test_many_mistakes_reported_together_in_document_order() -> None:
    source = {
        "spec_version": "1.0",
        "locale": "en_XX",
        "tables": {
            "users": {
                "rows": -5,
                "primary_key": "user_id",
                "columns": {
                    "user_id": {"type": "id", "format": "U-{n}-{m}"},
                    "age": {"distribution": "normal(40, -1)", "truncate": [90, 18]},
                    "segment": {"categories": {"a": -1, "b": 1}},
                    "signup": {"type": "datetime", "start": "2024-01-01", "end": "2020-01-01"},
                    "email": {"pii": "emial"},
                    "score": {"distributon": "normal(0, 1)"},
                    "flag": {"type": "boolean", "p": 1.5},
                },
            },
            "orders": {
                "foreign_keys": [{"columns": "user_id", "references": "usres.user_id"}],
                "columns": {"order_id": {"type": "id"}},
            },
        },
    }
    assert problems_of(source) == [
        "locale: unknown value 'en_XX'; did you mean 'en_US'?",
        "tables.users.rows: must be >= 0, got -5",
        "tables.users.columns.user_id.format: 'U-{n}-{m}' has 2 fields; use one {n} field,"
        " e.g. 'INV-{n:06d}'",
        "tables.users.columns.age.distribution.scale: must be > 0, got -1",
        "tables.users.columns.age.truncate: low must be < high, got [90, 18]",
        "tables.users.columns.segment.categories.a: must be >= 0, got -1",
        "tables.users.columns.signup.end: must be after start (2024-01-01T00:00:00),"
        " got 2020-01-01T00:00:00",
        "tables.users.columns.email.pii: unknown value 'emial'; did you mean 'email'?",
        "tables.users.columns.score.distributon: unknown key; did you mean 'distribution'?",
        "tables.users.columns.flag.p: must be <= 1, got 1.5",
        "tables.orders.foreign_keys[0].references: unknown table 'usres'; did you mean 'users'?",
    ]


# -- one bad input per check ---------------------------------------------------------------

C = "tables.t.columns"

COLUMN_CASES: list[tuple[dict[str, Any], str]] = [
    # distributions
    ({"x": {"distribution": "normal(40, -1)"}}, f"{C}.x.distribution.scale: must be > 0, got -1"),
    (
        {"x": {"distribution": {"family": "nrmal", "loc": 1}}},
        f"{C}.x.distribution.family: unknown distribution family 'nrmal'; did you mean 'normal'?",
    ),
    ({"x": {"distribution": "gamma(scale=2)"}}, f"{C}.x.distribution.a: required by gamma; add it"),
    (
        {"x": {"distribution": {"family": "norm", "sigma": 2}}},
        f"{C}.x.distribution.sigma: norm has no parameter 'sigma'; did you mean 'scale'?"
        " (its parameters: loc, scale)",
    ),
    (
        {"x": {"distribution": "gamma(-1)"}},
        f"{C}.x.distribution.a: a=-1 is outside the valid range of gamma",
    ),
    (
        {"x": {"distribution": "binom(10.5, 0.3)"}},
        f"{C}.x.distribution: n=10.5, p=0.3 is outside the valid range of binom",
    ),
    (
        {"x": {"distribution": "poisson(3, 0.5)"}},
        f"{C}.x.distribution.loc: must be a whole number, got 0.5",
    ),
    (
        {"x": {"distribution": "normal(1, 2, 3)"}},
        f"{C}.x.distribution: norm takes at most 2 values (loc, scale)",
    ),
    (
        {"x": {"distribution": "normal(40, loc=3)"}},
        f"{C}.x.distribution.loc: given twice (by position and by name)",
    ),
    (
        {"x": {"distribution": "__import__('os')"}},
        f"{C}.x.distribution: arguments must be numbers, got \"'os'\"; write it as"
        " family(positional, name=value), e.g. 'normal(40, 12)'",
    ),
    (
        {"x": {"distribution": "os.system('ls')"}},
        f"{C}.x.distribution: \"os.system('ls')\" is not a distribution; write it as"
        " family(positional, name=value), e.g. 'normal(40, 12)'",
    ),
    (
        {"x": {"distribution": "normal(mu)"}},
        f"{C}.x.distribution: arguments must be numbers, got 'mu'; write it as"
        " family(positional, name=value), e.g. 'normal(40, 12)'",
    ),
    (
        {"x": {"distribution": {"family": "norm", "loc": "a"}}},
        f"{C}.x.distribution.loc: must be a number, got 'a'",
    ),
    (
        {"x": {"distribution": {"family": "norm", "loc": True}}},
        f"{C}.x.distribution.loc: must be a number, got true",
    ),
    ({"x": {"distribution": {"loc": 1}}}, f"{C}.x.distribution.family: required; add it"),
    (
        {"x": {"distribution": "normal(0, 1)", "truncate": [5, 1]}},
        f"{C}.x.truncate: low must be < high, got [5, 1]",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "truncate": [100, 200]}},
        f"{C}.x.truncate: norm has (almost) no values in [100, 200]",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "truncate": [1]}},
        f"{C}.x.truncate: must be a list of 2 items, got 1",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "decimals": 16}},
        f"{C}.x.decimals: must be <= 15, got 16",
    ),
    (
        {"x": {"distribution": "poisson(3)", "decimals": 1}},
        f"{C}.x.decimals: applies to float columns only, not integer",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "type": "boolean"}},
        f"{C}.x: more than one generator (distribution, type: boolean); keep one",
    ),
    (
        {"a": {"value": 1}, "x": {"formula": "a * 2", "decimals": 20}},
        f"{C}.x.decimals: must be <= 15, got 20",
    ),
    (
        {"a": {"value": 1}, "x": {"formula": "a > 2", "decimals": 2}},
        f"{C}.x.decimals: applies to float columns only, not boolean",
    ),
    (
        {"a": {"value": 1}, "x": {"formula": "a * 2", "type": "boolean"}},
        f"{C}.x.type: boolean needs a comparison (e.g. 'x > 3') at the top",
    ),
    # categories
    ({"x": {"categories": {"a": -1, "b": 1}}}, f"{C}.x.categories.a: must be >= 0, got -1"),
    ({"x": {"categories": {"a": 0, "b": 0}}}, f"{C}.x.categories: weights must not all be 0"),
    (
        {"x": {"categories": ["a", "a"]}},
        f"{C}.x.categories[1]: category 'a' is listed twice; list each value once",
    ),
    ({"x": {"categories": []}}, f"{C}.x.categories: must list at least one category"),
    (
        {"x": {"categories": [["a", 1], [None, 2]]}},
        f"{C}.x.categories[1]: a category must be text, a number or true/false"
        " (use missing: for nulls)",
    ),
    (
        {"x": {"categories": [1, 2], "type": "categorical"}},
        f"{C}.x.type: categories are integer values; remove type",
    ),
    # boolean, value
    ({"x": {"type": "boolean", "p": 1.5}}, f"{C}.x.p: must be <= 1, got 1.5"),
    (
        {"x": {"value": float("nan")}},
        f"{C}.x.value: must be finite, got nan; use null for a missing value",
    ),
    ({"x": {"value": "a", "type": "integer"}}, f"{C}.x.type: integer does not fit the value 'a'"),
    # datetime
    (
        {"x": {"type": "datetime", "start": "2024-01-01", "end": "2020-01-01"}},
        f"{C}.x.end: must be after start (2024-01-01T00:00:00), got 2020-01-01T00:00:00",
    ),
    (
        {"x": {"type": "datetime", "end": "2020-01-01"}},
        f"{C}.x.start: required; add it",
    ),
    (
        {"x": {"type": "datetime", "start": "2020-13-01", "end": "2021-01-01"}},
        f"{C}.x.start: '2020-13-01' is not a date; write e.g. 2024-01-31 or 2024-01-31T08:00:00",
    ),
    (
        {
            "x": {
                "type": "datetime",
                "start": "2020-01-01",
                "end": "2021-01-01",
                "timezone": "Europe/Berln",
            }
        },
        f"{C}.x.timezone: unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'?",
    ),
    (
        {"x": {"type": "datetime", "start": "2020-01-01T00:00:00+02:00", "end": "2021-01-01"}},
        f"{C}.x.start: '2020-01-01T00:00:00+02:00' has a UTC offset; remove it and set"
        " timezone: instead",
    ),
    (
        {
            "x": {
                "type": "datetime",
                "start": "2020-01-01",
                "end": "2021-01-01",
                "weekdays": [1] * 6,
            }
        },
        f"{C}.x.weekdays: must be a list of 7 items, got 6",
    ),
    (
        {
            "x": {
                "type": "datetime",
                "start": "2020-01-01",
                "end": "2021-01-01",
                "weekdays": "weekend",
            }
        },
        f"{C}.x.weekdays: unknown value 'weekend'; use one of all, business",
    ),
    (
        {"x": {"type": "datetime", "start": "2020-01-01", "end": "2021-01-01", "hours": [0] * 24}},
        f"{C}.x.hours: weights must not all be 0",
    ),
    (
        {"x": {"type": "datetime", "start": "2020-01-01", "end": "2021-01-01", "hours": [1] * 23}},
        f"{C}.x.hours: must be a list of 24 items, got 23",
    ),
    (
        {
            "x": {
                "type": "datetime",
                "start": "2024-06-01",
                "end": "2024-06-02T12:00:00",
                "weekdays": "business",
            }
        },
        f"{C}.x.weekdays: no day between start and end has a weight > 0",
    ),
    (
        {"x": {"type": "datetime", "start": "2024-01-01", "end": "2024-02-01", "unit": "h"}},
        f"{C}.x.unit: unknown value 'h'; use one of D, ms, s, us",
    ),
    (
        {
            "x": {
                "type": "datetime",
                "start": "2024-01-01",
                "end": "2024-01-02",
                "distribution": "uniform(5, 1)",
            }
        },
        f"{C}.x.distribution: gives (almost) no offsets between 0 and 1 days",
    ),
    # ids
    (
        {"x": {"type": "id", "format": "ID-{n}-{m}"}},
        f"{C}.x.format: 'ID-{{n}}-{{m}}' has 2 fields; use one {{n}} field, e.g. 'INV-{{n:06d}}'",
    ),
    (
        {"x": {"type": "id", "format": "ID"}},
        f"{C}.x.format: 'ID' has 0 fields; use one {{n}} field, e.g. 'INV-{{n:06d}}'",
    ),
    (
        {"x": {"type": "id", "format": "ID-{x}"}},
        f"{C}.x.format: field '{{x}}' is not allowed; use one {{n}} field, e.g. 'INV-{{n:06d}}'",
    ),
    (
        {"x": {"type": "id", "format": "{n.__class__}"}},
        f"{C}.x.format: field '{{n.__class__}}' is not allowed; use one {{n}} field,"
        " e.g. 'INV-{n:06d}'",
    ),
    (
        {"x": {"type": "id", "format": "{n[0]}"}},
        f"{C}.x.format: field '{{n[0]}}' is not allowed; use one {{n}} field, e.g. 'INV-{{n:06d}}'",
    ),
    (
        {"x": {"type": "id", "format": "{n!r}"}},
        f"{C}.x.format: field '{{n!r}}' is not allowed; use one {{n}} field, e.g. 'INV-{{n:06d}}'",
    ),
    (
        {"x": {"type": "id", "format": "{n:>8}"}},
        f"{C}.x.format: field '{{n:>8}}' is not allowed; use one {{n}} field, e.g. 'INV-{{n:06d}}'",
    ),
    (
        {"x": {"type": "id", "format": "ID-{n"}},
        f"{C}.x.format: 'ID-{{n' is not a valid format (expected '}}' before end of string);"
        " use one {n} field, e.g. 'INV-{n:06d}'",
    ),
    ({"x": {"type": "id", "step": 0}}, f"{C}.x.step: must not be 0"),
    ({"x": {"type": "id", "start": 1.5}}, f"{C}.x.start: must be a whole number, got 1.5"),
    # pii
    ({"x": {"pii": "emial"}}, f"{C}.x.pii: unknown value 'emial'; did you mean 'email'?"),
    (
        {"x": {"pii": "phone", "locale": "de_AT"}},
        f"{C}.x.locale: unknown value 'de_AT'; did you mean 'de_DE'?",
    ),
    (
        {"name": {"pii": "full_name"}, "x": {"pii": "email", "from": "nmae"}},
        f"{C}.x.from: unknown column 'nmae'; did you mean 'name'?",
    ),
    (
        {"phone": {"pii": "phone"}, "x": {"pii": "email", "from": "phone"}},
        f"{C}.x.from: 'phone' must be a pii column of kind full_name",
    ),
    (
        {"name": {"pii": "full_name"}, "x": {"pii": "phone", "from": "name"}},
        f"{C}.x.from: applies to email, username columns, not phone",
    ),
    (
        {"x": {"pii": "email", "type": "integer"}},
        f"{C}.x.type: integer does not apply to pii columns (string)",
    ),
    # by
    (
        {"x": {"by": "sgment", "cases": {"a": {"value": 1}}}, "segment": {"categories": ["a"]}},
        f"{C}.x.by: unknown column 'sgment'; did you mean 'segment'?",
    ),
    (
        {"n": {"distribution": "normal(0, 1)"}, "x": {"by": "n", "cases": {"a": {"value": 1}}}},
        f"{C}.x.by: 'n' must be a categories or boolean column, not float",
    ),
    (
        {
            "s": {"categories": ["retail", "public"]},
            "x": {"by": "s", "cases": {"retial": {"value": 1}}, "default": {"value": 0}},
        },
        f"{C}.x.cases.retial: 'retial' is not a value of s; did you mean 'retail'?",
    ),
    (
        {
            "s": {"categories": ["retail", "public"]},
            "x": {"by": "s", "cases": {"retail": {"value": 1}}},
        },
        f"{C}.x.cases: no case for 'public' of s; add cases or a default",
    ),
    (
        {
            "s": {"categories": ["a", "b"]},
            "x": {"by": "s", "cases": {"a": {"value": 1}, "b": {"value": "z"}}},
        },
        f"{C}.x.cases: cases give different types (categorical, integer)",
    ),
    (
        {"s": {"categories": ["a"]}, "x": {"by": "s", "cases": {"a": {"type": "id"}}}},
        f"{C}.x.cases.a: id cannot be used in a case; use one of distribution, categories,"
        " value, pii, formula, boolean, datetime",
    ),
    ({"s": {"categories": ["a"]}, "x": {"by": "s"}}, f"{C}.x.cases: required; add it"),
    # missing, outliers, unique
    (
        {"x": {"distribution": "normal(0, 1)", "missing": 1.5}},
        f"{C}.x.missing: must be <= 1, got 1.5",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "missing": {"rate": 0.1, "formula": "0.1"}}},
        f"{C}.x.missing: give either rate or formula",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "missing": {"rat": 0.1}}},
        f"{C}.x.missing.rat: unknown key; did you mean 'rate'?",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "outliers": {"rate": 1, "factor": 3}}},
        f"{C}.x.outliers.rate: must be < 1, got 1",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "outliers": {"rate": 0, "factor": 3}}},
        f"{C}.x.outliers.rate: must be > 0, got 0",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "outliers": {"rate": 0.1}}},
        f"{C}.x.outliers: give either factor or distribution",
    ),
    (
        {"x": {"categories": ["a"], "outliers": {"rate": 0.1, "factor": 2}}},
        f"{C}.x.outliers: apply to number columns only, not categorical",
    ),
    (
        {
            "x": {
                "distribution": "normal(0, 1)",
                "outliers": {"rate": 0.1, "factor": 2, "marker": "y"},
            },
            "y": {"value": 1},
        },
        f"{C}.x.outliers.marker: 'y' is already a column",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "unique": True}},
        f"{C}.x.unique: only id, uuid and pii columns can promise unique values",
    ),
    # generators and keys
    (
        {"x": {"distribution": "normal(0, 1)", "categories": ["a"]}},
        f"{C}.x: more than one generator (distribution, categories); keep one",
    ),
    (
        {"x": {"pii": "email", "type": "uuid"}},
        f"{C}.x: more than one generator (pii, type: uuid); keep one",
    ),
    (
        {"x": {}},
        f"{C}.x: no generator; give one of distribution, categories, value, pii, formula, by,"
        " from_model or type: boolean|id|uuid|datetime|reference",
    ),
    (
        {"x": {"distributon": "normal(0, 1)"}},
        f"{C}.x.distributon: unknown key; did you mean 'distribution'?",
    ),
    (
        {"x": {"distribution": "normal(0, 1)", "p": 0.5}},
        f"{C}.x.p: does not apply to distribution columns; remove it",
    ),
    ({"x": {"type": "integr"}}, f"{C}.x.type: unknown value 'integr'; did you mean 'integer'?"),
    ({"x": "normal(0, 1)"}, f"{C}.x: must be a mapping (key: value), got 'normal(0, 1)'"),
    (
        {"my col": {"value": 1}},
        f"{C}.my col: 'my col' is not a valid name; use letters, digits and _ (not a digit first)",
    ),
    (
        {"x": {"type": "reference"}},
        f"{C}.x.type: reference needs a foreign key with this column; add one",
    ),
    (
        {"x": {"from_model": "m.synth", "conditions": ["agee"]}, "age": {"value": 1}},
        f"{C}.x.conditions: unknown column 'agee'; did you mean 'age'?",
    ),
]


@pytest.mark.parametrize(("columns", "expected"), COLUMN_CASES)
def test_column_problem(columns: dict[str, Any], expected: str) -> None:
    assert expected in problems_of(spec_of(columns))


def test_formula_problems_come_with_the_column_path() -> None:
    problems = problems_of(spec_of({"a": {"value": 1}, "x": {"formula": "1 + agge"}}))
    assert problems[0].startswith(f"{C}.x.formula: ")
    assert "agge" in problems[0]
    problems = problems_of(spec_of({"x": {"formula": "__import__('os')"}}))
    assert problems[0].startswith(f"{C}.x.formula: ")


def test_formula_cycle_is_named() -> None:
    problems = problems_of(
        spec_of({"a": {"formula": "b + 1"}, "b": {"formula": "a * 2"}, "c": {"value": 1}})
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{C}: ")
    assert "cycle" in problems[0]
    assert "a -> b" in problems[0] or "b -> a" in problems[0]


def test_missing_formula_joins_the_cycle_check() -> None:
    problems = problems_of(
        spec_of(
            {
                "a": {"formula": "b + 1"},
                "b": {"distribution": "normal(0, 1)", "missing": {"formula": "0.1 * (a > 1)"}},
            }
        )
    )
    assert "cycle" in problems[0]


M = "tables.t.correlations"
CORRELATION_COLUMNS = {
    "a": {"distribution": "normal(0, 1)"},
    "b": {"distribution": "normal(0, 1)"},
    "c": {"categories": ["x", "y"]},
    "f": {"formula": "a + 1"},
}
CORRELATION_CASES: list[tuple[list[Any], str]] = [
    ([{"columns": ["a", "zz"], "rho": 0.2}], f"{M}[0].columns: unknown column 'zz'"),
    (
        [{"columns": ["a", "f"], "rho": 0.2}],
        f"{M}[0].columns: 'f' cannot be correlated; use distribution, categories, boolean or"
        " datetime columns (formulas carry their own dependence)",
    ),
    ([{"columns": ["a", "b"], "rho": 1.5}], f"{M}[0].rho: must be <= 1, got 1.5"),
    (
        [{"columns": ["a", "b", "c"], "rho": 0.5}],
        f"{M}[0].rho: applies to 2 columns; use matrix for more",
    ),
    ([{"columns": ["a", "b"]}], f"{M}[0]: give either matrix or rho"),
    ([{"columns": ["a"], "rho": 0.1}], f"{M}[0].columns: name at least 2 columns"),
    (
        [{"columns": ["a", "b"], "matrix": [[1, 0.5], [0.4, 1]]}],
        f"{M}[0].matrix: must be symmetric (entry [i][j] equals [j][i])",
    ),
    (
        [{"columns": ["a", "b"], "matrix": [[1, 0.5], [0.5, 0.9]]}],
        f"{M}[0].matrix: the diagonal must be all 1",
    ),
    (
        [{"columns": ["a", "b"], "matrix": [[1, 2], [2, 1]]}],
        f"{M}[0].matrix[0][1]: must be <= 1, got 2",
    ),
    (
        [{"columns": ["a", "b"], "matrix": [[1, 0.5]]}],
        f"{M}[0].matrix: must be a list of 2 items, got 1",
    ),
    (
        [{"columns": ["a", "b", "c"], "matrix": [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]]}],
        f"{M}[0].matrix: not a valid correlation matrix (not positive semi-definite);"
        " weaken the correlations",
    ),
    (
        [{"columns": ["a", "b"], "rho": 0.1}, {"columns": ["a", "c"], "rho": 0.1}],
        f"{M}[1].columns: 'a' is already in {M}[0]",
    ),
    ([{"columns": ["a", "a"], "rho": 0.1}], f"{M}[0].columns: names a column twice"),
]


@pytest.mark.parametrize(("correlations", "expected"), CORRELATION_CASES)
def test_correlation_problem(correlations: list[Any], expected: str) -> None:
    assert expected in problems_of(spec_of(CORRELATION_COLUMNS, correlations=correlations))


def two_tables(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    base = {
        "rows": 5,
        "primary_key": "pid",
        "columns": {"pid": {"type": "id"}, "kind": {"categories": ["a", "b"]}},
    }
    return {
        "spec_version": "1.0",
        "tables": {"p": {**base, **parent}, "c": {"columns": {"v": {"value": 1}}, **child}},
    }


F = "tables.c.foreign_keys[0]"
KEY_CASES: list[tuple[dict[str, Any], dict[str, Any], str]] = [
    (
        {},
        {"foreign_keys": [{"columns": "pid", "references": "q.pid"}]},
        f"{F}.references: unknown table 'q'; tables: p, c",
    ),
    (
        {},
        {"foreign_keys": [{"columns": "pid", "references": "p.kind"}]},
        f"{F}.references: must reference the primary key of p (pid)",
    ),
    (
        {"primary_key": None},
        {"foreign_keys": [{"columns": "pid", "references": "p"}]},
        f"{F}.references: table 'p' has no primary_key; declare one to reference it",
    ),
    (
        {},
        {"foreign_keys": [{"columns": ["a", "b"], "references": "p"}]},
        f"{F}.columns: 2 columns for a key of 1 (pid)",
    ),
    (
        {},
        {"foreign_keys": [{"columns": "pid", "references": "p", "cardinality": "normal(3, 1)"}]},
        f"{F}.cardinality: norm is continuous; use a discrete family such as poisson, nbinom",
    ),
    (
        {},
        {
            "foreign_keys": [
                {"columns": "pid", "references": "p", "cardinality": {"one_to_one": True, "max": 3}}
            ]
        },
        f"{F}.cardinality.max: does not apply to one_to_one (always at most 1)",
    ),
    (
        {},
        {
            "foreign_keys": [
                {"columns": "pid", "references": "p", "cardinality": {"one_to_one": True, "min": 2}}
            ]
        },
        f"{F}.cardinality.min: must be <= 1, got 2",
    ),
    (
        {},
        {
            "foreign_keys": [
                {
                    "columns": "pid",
                    "references": "p",
                    "cardinality": {"distribution": "poisson(2)", "min": 3, "max": 2},
                }
            ]
        },
        f"{F}.cardinality.max: must be >= 3, got 2",
    ),
    (
        {},
        {"foreign_keys": [{"columns": "pid", "references": "p", "cardinality": {"min": 1}}]},
        f"{F}.cardinality: give either distribution or one_to_one: true",
    ),
    (
        {},
        {"foreign_keys": [{"columns": "pid", "references": "p", "nullable": 1}]},
        f"{F}.nullable: must be < 1, got 1",
    ),
    (
        {},
        {
            "foreign_keys": [{"columns": "pid", "references": "p", "cardinality": "poisson(2)"}],
            "rows": 10,
        },
        "tables.c.rows: rows follow the cardinality of p; remove rows",
    ),
    (
        {},
        {"foreign_keys": [{"columns": "pid", "referenced": "p"}]},
        f"{F}.referenced: unknown key; did you mean 'references'?",
    ),
    (
        {},
        {
            "foreign_keys": [{"columns": "pid", "references": "p"}],
            "columns": {"pid": {"distribution": "poisson(2)"}},
        },
        "tables.c.columns.pid: is a foreign-key column; declare it as {type: reference}"
        " or leave it out",
    ),
    (
        {"primary_key": "kind"},
        {},
        "tables.p.primary_key: cannot promise unique values; include a column of type id or"
        " uuid, a pii column with unique: true, or the columns of a one_to_one foreign key",
    ),
    (
        {"primary_key": "pidd"},
        {},
        "tables.p.primary_key: unknown column 'pidd'; did you mean 'pid'?",
    ),
    (
        {"columns": {"pid": {"type": "id", "missing": 0.1}}},
        {},
        "tables.p.columns.pid.missing: a primary key column cannot be missing",
    ),
    ({"primary_key": ["pid", "pid"]}, {}, "tables.p.primary_key: names a column twice"),
    (
        {
            "foreign_keys": [{"columns": "cid", "references": "c", "cardinality": "poisson(1)"}],
            "rows": None,
        },
        {
            "primary_key": "cid",
            "columns": {"cid": {"type": "id"}},
            "foreign_keys": [{"columns": "pid", "references": "p"}],
            "rows": 3,
        },
        "tables.p: table dependency cycle p -> c -> p; remove one of these foreign keys",
    ),
]


@pytest.mark.parametrize(("parent", "child", "expected"), KEY_CASES)
def test_key_problem(parent: dict[str, Any], child: dict[str, Any], expected: str) -> None:
    assert expected in problems_of(two_tables(parent, child))


DROP = object()
SPEC_CASES: list[tuple[dict[str, Any], str]] = [
    ({"spec_version": DROP}, "spec_version: required; add it"),
    (
        {"spec_version": "2.0"},
        "spec_version: 2.0 was written by a newer synthcraft (this one reads 1.x); upgrade it",
    ),
    ({"spec_version": "abc"}, "spec_version: 'abc' is not a version; write spec_version: '1.0'"),
    ({"tabels": {}}, "tabels: unknown key; did you mean 'tables'?"),
    ({"seed": -1}, "seed: must be >= 0, got -1"),
    ({"seed": 1.5}, "seed: must be a whole number, got 1.5"),
    ({"locale": "xx"}, f"locale: unknown value 'xx'; use one of {', '.join(sorted(pii.LOCALES))}"),
    ({"tables": {}}, "tables: must declare at least one table"),
    ({"tables": []}, "tables: must be a mapping (key: value), got a list"),
    (
        {"tables": {"1t": {"rows": 1, "columns": {"x": {"value": 1}}}}},
        "tables.1t: '1t' is not a valid name; use letters, digits and _ (not a digit first)",
    ),
    (
        {"tables": {"t": {"rows": 1, "colums": {}}}},
        "tables.t.colums: unknown key; did you mean 'columns'?",
    ),
    (
        {"tables": {"t": {"rows": 1}}},
        "tables.t.columns: declare at least one column (or from_model for the table)",
    ),
]


@pytest.mark.parametrize(("changes", "expected"), SPEC_CASES)
def test_spec_problem(changes: dict[str, Any], expected: str) -> None:
    source = {"spec_version": "1.0", "tables": {"t": {"rows": 1, "columns": {"x": {"value": 1}}}}}
    source.update(changes)
    source = {key: value for key, value in source.items() if value is not DROP}
    assert expected in problems_of(source)


def test_yaml_boolean_keys_must_be_quoted() -> None:
    text = "spec_version: '1.0'\ntables:\n  t:\n    rows: 1\n    columns:\n      yes: {value: 1}\n"
    with pytest.raises(SpecError) as info:
        load(text)
    assert info.value.problems == [
        "tables.t.columns.true: YAML reads this key as true; quote it (e.g. 'yes')"
    ]


def test_broken_parent_table_gives_no_follow_on_problems() -> None:
    source = two_tables(
        {"columns": {"pid": {"type": "id"}, "bad": {"distribution": "normal(0, -1)"}}},
        {"foreign_keys": [{"columns": "pid", "references": "p", "cardinality": "poisson(2)"}]},
    )
    assert problems_of(source) == ["tables.p.columns.bad.distribution.scale: must be > 0, got -1"]
    source["tables"]["p"] = []
    assert problems_of(source) == ["tables.p: must be a mapping (key: value), got a list"]


def test_broken_column_gives_no_follow_on_problems() -> None:
    columns = {
        "pid": {"type": "id", "format": "{x}"},
        "seg": {"categories": {"a": -1}},
        "v": {"by": "seg", "cases": {"zzz": {"value": 1}}},
        "w": {"formula": "seg == 'a'"},
    }
    problems = problems_of(
        spec_of(columns, primary_key="pid", correlations=[{"columns": ["seg", "pid"], "rho": 0.1}])
    )
    assert problems == [
        f"{C}.pid.format: field '{{x}}' is not allowed; use one {{n}} field, e.g. 'INV-{{n:06d}}'",
        f"{C}.seg.categories.a: must be >= 0, got -1",
    ]


def test_one_problem_per_bad_parameter() -> None:
    assert problems_of(
        spec_of({"x": {"distribution": {"family": "norm", "params": {"loc": 1}}}})
    ) == [f"{C}.x.distribution.params: norm has no parameter 'params' (its parameters: loc, scale)"]
    assert problems_of(spec_of({"x": {"distribution": {"family": "gamma", "a": "two"}}})) == [
        f"{C}.x.distribution.a: must be a number, got 'two'"
    ]


def test_by_a_constant_or_boolean_formula_column() -> None:
    spec = parse(
        spec_of(
            {
                "c": {"value": "DE"},
                "x": {"by": "c", "cases": {"DE": {"value": 1.5}}},
                "age": {"distribution": "normal(40, 5)"},
                "old": {"formula": "age > 60"},
                "y": {"by": "old", "cases": {"true": {"value": "a"}, "false": {"value": "b"}}},
            }
        )
    )
    generators = {c.name: c.generator for c in spec.tables["t"].columns}
    assert generators["x"].cases == (("DE", ConstantGen(1.5)),)
    assert [value for value, _ in generators["y"].cases] == [True, False]


def test_minor_versions_and_numbers_are_accepted() -> None:
    columns = {"x": {"value": 1}}
    assert parse({**spec_of(columns), "spec_version": "1.7"}).spec_version == "1.7"
    assert parse({**spec_of(columns), "spec_version": 1.0}).spec_version == "1.0"


def test_root_table_may_omit_rows_and_child_table_needs_none() -> None:
    spec = parse(
        two_tables(
            {"rows": None},
            {"foreign_keys": [{"columns": "pid", "references": "p", "cardinality": "poisson(2)"}]},
        )
    )
    assert spec.tables["p"].rows is None
    assert spec.tables["c"].rows is None


def test_values_and_dtypes() -> None:
    spec = parse(
        spec_of(
            {
                "i": {"value": 3},
                "f": {"value": 3, "type": "float"},
                "b": {"value": True},
                "n": {"value": None},
                "s": {"value": "x", "type": "string"},
                "m": {"from_model": "/abs/m.synth", "type": "categorical"},
                "k": {"formula": "i * 2", "type": "integer"},
                "flags": {"categories": [True, False]},
                "mixed": {"categories": ["a", 1]},
                "floats": {"categories": [1, 2.5]},
                "fl": {"distribution": "poisson(2)", "type": "float"},
                "whole": {"distribution": "normal(0, 1)", "type": "integer"},
            }
        )
    )
    dtypes = {c.name: c.dtype for c in spec.tables["t"].columns}
    assert dtypes == {
        "i": "integer",
        "f": "float",
        "b": "boolean",
        "n": "float",
        "s": "string",
        "m": "categorical",
        "k": "integer",
        "flags": "boolean",
        "mixed": "categorical",
        "floats": "float",
        "fl": "float",
        "whole": "integer",
    }
    values = {c.name: c.generator for c in spec.tables["t"].columns}
    assert values["f"] == ConstantGen(3.0)
    assert values["mixed"].values == ("a", "1")
    assert values["floats"].values == (1.0, 2.5)
    assert values["m"] == ModelGen(path="/abs/m.synth")


# -- property test: random valid distribution columns parse ---------------------------------

positive = st.floats(0.05, 50, allow_nan=False)
unit = st.floats(0.01, 0.99, allow_nan=False)
FAMILIES: dict[str, st.SearchStrategy[dict[str, float]]] = {
    "normal": st.fixed_dictionaries({"loc": st.floats(-1e3, 1e3), "scale": positive}),
    "exponential": st.fixed_dictionaries({"scale": positive}),
    "gamma": st.fixed_dictionaries({"a": positive, "scale": positive}),
    "lognormal": st.fixed_dictionaries({"s": st.floats(0.05, 2), "scale": positive}),
    "beta": st.fixed_dictionaries({"a": positive, "b": positive}),
    "uniform": st.fixed_dictionaries({"loc": st.floats(-100, 100), "scale": positive}),
    "weibull": st.fixed_dictionaries({"c": positive}),
    "student_t": st.fixed_dictionaries({"df": positive}),
    "poisson": st.fixed_dictionaries({"mu": positive}),
    "binomial": st.fixed_dictionaries({"n": st.integers(1, 100).map(float), "p": unit}),
    "negative_binomial": st.fixed_dictionaries({"n": positive, "p": unit}),
    "geometric": st.fixed_dictionaries({"p": unit}),
}


@settings(max_examples=60, deadline=None)
@given(
    family=st.sampled_from(sorted(FAMILIES)),
    data=st.data(),
    shorthand=st.booleans(),
    decimals=st.integers(0, 15),
)
def test_random_valid_distribution_columns_parse(
    family: str, data: st.DataObject, shorthand: bool, decimals: int
) -> None:
    params = data.draw(FAMILIES[family])
    if shorthand:
        text = ", ".join(f"{k}={v!r}" for k, v in params.items())
        distribution: Any = f"{family}({text})"
    else:
        distribution = {"family": family, **params}
    spec = parse(spec_of({"x": {"distribution": distribution}}))
    col = spec.tables["t"].columns[0]
    dist = col.generator.distribution
    for key, value in params.items():
        assert dist.params[key] == value
    assert col.dtype == ("integer" if dist.discrete else "float")
    assert parse(spec.source) == spec
    if not dist.discrete:
        with_decimals = parse(spec_of({"x": {"distribution": distribution, "decimals": decimals}}))
        assert with_decimals.tables["t"].columns[0].generator.decimals == decimals
